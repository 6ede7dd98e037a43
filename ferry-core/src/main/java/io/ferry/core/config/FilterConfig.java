package io.ferry.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which names to copy and what to call them on the target: copydb's {@code Databases} and {@code Tables} sections.
 * At most one of the lists is non-empty; an empty whitelist and blacklist select everything.
 *
 * @param whitelist only these names are copied, when not empty
 * @param blacklist these names are not copied
 * @param rewrites  source name to target name; names not in the map keep their name
 */
public record FilterConfig(List<String> whitelist, List<String> blacklist, Map<String, String> rewrites) {
    /** Selects everything and renames nothing. */
    public static final FilterConfig ALL = new FilterConfig(List.of(), List.of(), Map.of());

    public FilterConfig {
        whitelist = List.copyOf(Objects.requireNonNull(whitelist, "whitelist"));
        blacklist = List.copyOf(Objects.requireNonNull(blacklist, "blacklist"));
        rewrites = Map.copyOf(Objects.requireNonNull(rewrites, "rewrites"));
        if (!whitelist.isEmpty() && !blacklist.isEmpty()) {
            throw new IllegalArgumentException("whitelist and blacklist cannot both be set");
        }
    }

    /** Whether {@code name} (compared exactly, as MySQL does on Linux) is selected for copying. */
    public boolean accepts(String name) {
        return whitelist.isEmpty() ? !blacklist.contains(name) : whitelist.contains(name);
    }

    /** The name {@code name} gets on the target. */
    public String rewrite(String name) {
        return rewrites.getOrDefault(name, name);
    }

    /** E.g. {@code only a, b; renamed a->x} or {@code all}. */
    String describe() {
        String selection = !whitelist.isEmpty() ? "only " + String.join(", ", whitelist)
                : !blacklist.isEmpty() ? "all except " + String.join(", ", blacklist)
                : "all";
        if (rewrites.isEmpty()) {
            return selection;
        }
        var renames = new StringBuilder();
        rewrites.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                renames.append(renames.isEmpty() ? "" : ", ").append(e.getKey()).append("->").append(e.getValue()));
        return selection + "; renamed " + renames;
    }
}
