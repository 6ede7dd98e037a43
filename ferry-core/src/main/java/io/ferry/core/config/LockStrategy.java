package io.ferry.core.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the row copy avoids racing the binlog applier (the fork's {@code LockStrategy}); see DESIGN.md invariant 2.
 */
public enum LockStrategy {
    /** Read each batch under a shared row lock on the source, held until the target commit (the default). */
    LOCK_ON_SOURCE_DB("LockOnSourceDB"),
    /** Hold an in-process per-table lock from the batch read to the target commit; works on read-only sources. */
    LOCK_IN_GHOSTFERRY("LockInGhostferry"),
    /** No lock: unsafe when rows are updated or deleted during the copy. */
    NONE("None");

    private final String configName;

    LockStrategy(String configName) {
        this.configName = configName;
    }

    /** The spelling used in config files, e.g. {@code LockOnSourceDB}. */
    public String configName() {
        return configName;
    }

    /** The strategy spelled {@code name} in a config file (exact spelling, as Ghostferry compares it). */
    public static Optional<LockStrategy> fromConfigName(String name) {
        return Arrays.stream(values()).filter(s -> s.configName.equals(name)).findFirst();
    }

    /** {@code LockOnSourceDB, LockInGhostferry, None}: for error messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(LockStrategy::configName).collect(Collectors.joining(", "));
    }
}
