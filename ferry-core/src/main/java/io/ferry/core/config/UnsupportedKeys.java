package io.ferry.core.config;

import com.google.gson.JsonElement;
import java.math.BigDecimal;
import java.util.List;

/**
 * Top-level keys of Ghostferry's core config that copydb takes elsewhere (every other key has its meaning in
 * {@link ConfigLoader}). A key set to its "off" value (false, "", 0, null, or an object/array of nothing but off
 * values) is accepted silently, so a typical Ghostferry config still loads; any other value is a problem, since
 * silently ignoring it would run something other than what the operator asked for.
 */
final class UnsupportedKeys {
    /**
     * @param key         the key as Ghostferry spells it
     * @param alsoOff     one more value that means "off" for this key, or {@code null}
     * @param problem     what to tell the operator
     */
    record Entry(String key, String alsoOff, String problem) {
    }

    static final List<Entry> TOP_LEVEL = List.of(
            // Replaced in copydb by the Databases/Tables sections.
            new Entry("DatabaseRewrites", null, "copydb takes database rewrites from Databases.Rewrites; move them there"),
            new Entry("TableRewrites", null, "copydb takes table rewrites from Tables.Rewrites; move them there"));

    private UnsupportedKeys() {
    }

    /** Reads each of {@code entries} in {@code root}, reporting those not set to an off value. */
    static void check(JsonSection root, List<Entry> entries) {
        for (Entry entry : entries) {
            JsonElement value = root.get(entry.key());
            if (value != null && !isOff(value, entry.alsoOff())) {
                root.problems().add(root.path(entry.key()), entry.problem());
            }
        }
    }

    /** Whether {@code value} is Go's zero value for its type (recursively), or {@code alsoOff}. */
    static boolean isOff(JsonElement value, String alsoOff) {
        if (value.isJsonNull()) {
            return true;
        }
        if (value.isJsonObject()) {
            return value.getAsJsonObject().entrySet().stream().allMatch(e -> isOff(e.getValue(), null));
        }
        if (value.isJsonArray()) {
            return value.getAsJsonArray().isEmpty();
        }
        var p = value.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return !p.getAsBoolean();
        }
        if (p.isNumber()) {
            return new BigDecimal(p.getAsString()).signum() == 0;
        }
        return p.getAsString().isEmpty() || p.getAsString().equals(alsoOff);
    }
}
