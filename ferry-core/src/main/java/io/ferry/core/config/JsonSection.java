package io.ferry.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object of the config file, read key by key. Keys match case-insensitively (as Go's decoder matches
 * Ghostferry's field names); every key read is remembered, so {@link #rejectUnknownKeys()} can report the rest.
 * Typed reads report a wrong type or range to {@link Problems} and return {@code null}, which the caller turns
 * into the default, so one pass finds every problem.
 */
final class JsonSection {
    private final String path;
    private final JsonObject object;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    JsonSection(String path, JsonObject object, Problems problems) {
        this.path = path;
        this.object = object;
        this.problems = problems;
    }

    /** The dotted path of {@code key} in this section, e.g. {@code Source.Port}. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** This section's own path, e.g. {@code Source}. */
    String path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    /** The value of {@code key}, or {@code null} when absent or JSON {@code null}. */
    JsonElement get(String key) {
        boolean firstRead = known.add(key);
        List<String> spellings = new ArrayList<>();
        for (String name : object.keySet()) {
            if (name.equalsIgnoreCase(key)) {
                spellings.add(name);
            }
        }
        if (spellings.isEmpty()) {
            return null;
        }
        if (spellings.size() > 1 && firstRead) {
            problems.add(path(key), "given " + spellings.size() + " times (as " + String.join(", ", spellings)
                    + "); keep one");
        }
        JsonElement value = object.get(spellings.getLast());
        return value.isJsonNull() ? null : value;
    }

    boolean has(String key) {
        return get(key) != null;
    }

    String string(String key) {
        JsonElement v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            wrongType(key, v, "a string");
            return null;
        }
        return v.getAsString();
    }

    /** A string that must not appear in messages: a wrong type is reported without the value. */
    String secretString(String key) {
        JsonElement v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
            problems.add(path(key), "must be a string, not " + Problems.typeOf(v));
            return null;
        }
        return v.getAsString();
    }

    Boolean bool(String key) {
        JsonElement v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
            wrongType(key, v, "true or false");
            return null;
        }
        return v.getAsBoolean();
    }

    /** A whole number in {@code min..max}. */
    Long integer(String key, long min, long max) {
        JsonElement v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
            wrongType(key, v, "an integer");
            return null;
        }
        BigDecimal n = new BigDecimal(v.getAsString());
        if (n.signum() != 0 && n.stripTrailingZeros().scale() > 0) {
            problems.add(path(key), v, "must be a whole number");
            return null;
        }
        if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            problems.add(path(key), v, max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "must be at least " + min
                    : "must be between " + min + " and " + max);
            return null;
        }
        return n.longValueExact();
    }

    /** A nested object, or {@code null} when absent. */
    JsonSection section(String key) {
        JsonElement v = get(key);
        if (v == null) {
            return null;
        }
        if (!v.isJsonObject()) {
            wrongType(key, v, "an object");
            return null;
        }
        return new JsonSection(path(key), v.getAsJsonObject(), problems);
    }

    /** An array of non-empty strings; empty when absent. */
    List<String> strings(String key) {
        JsonElement v = get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isJsonArray()) {
            wrongType(key, v, "an array of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        var array = v.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement e = array.get(i);
            String at = path(key) + "[" + i + "]";
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                problems.add(at, e, "must be a string, not " + Problems.typeOf(e));
            } else if (e.getAsString().isEmpty()) {
                problems.add(at, e, "must not be empty; remove the entry");
            } else {
                out.add(e.getAsString());
            }
        }
        return out;
    }

    /** An object of string values (names are kept as written: they are data, not keys); empty when absent. */
    Map<String, String> stringMap(String key) {
        JsonElement v = get(key);
        if (v == null) {
            return Map.of();
        }
        if (!v.isJsonObject()) {
            wrongType(key, v, "an object of strings");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var entry : v.getAsJsonObject().entrySet()) {
            JsonElement e = entry.getValue();
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                problems.add(path(key) + "." + entry.getKey(), e, "must be a string, not " + Problems.typeOf(e));
            } else {
                out.put(entry.getKey(), e.getAsString());
            }
        }
        return out;
    }

    /** Reports every key of this section that no read asked for, suggesting the known key it resembles. */
    void rejectUnknownKeys() {
        Set<String> knownLower = new LinkedHashSet<>();
        known.forEach(k -> knownLower.add(k.toLowerCase(Locale.ROOT)));
        for (String name : object.keySet()) {
            if (knownLower.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String fix = KeySuggestions.closest(name, known).map(k -> "did you mean " + k + "?").orElse("remove it");
            problems.add(path(name), "unknown key; " + fix);
        }
    }

    private void wrongType(String key, JsonElement v, String expected) {
        problems.add(path(key), v, "must be " + expected + ", not " + Problems.typeOf(v));
    }
}
