package io.ferry.core.config;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerFlavor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a run (and {@code ferry verify}) checks the target against the source: Ghostferry's {@code VerifierType},
 * {@code IterativeVerifierConfig}, {@code InlineVerifierConfig}, {@code IgnoredColumnsForVerification},
 * {@code CompressedColumnsForVerification}, {@code ForceIndexForVerification} and {@code SkipTargetVerification}.
 *
 * @param type                   which verifier runs
 * @param iterative              settings of the Iterative verifier
 * @param inline                 settings of the Inline verifier
 * @param ignoredColumns         source {@code db.table} to columns left out of every comparison
 * @param compressedColumns      source {@code db.table} to column to compression ({@code SNAPPY}): compared decompressed
 * @param forcedIndexes          source {@code db.table} to the index fingerprint queries use ({@code FORCE INDEX})
 * @param verifyTarget           whether the target verifier watches the target's binlog for row changes to copied
 *                               tables that this run did not make ({@code "SkipTargetVerification": false}); off when
 *                               the key is absent or true, so that configs written before ferry had it keep working
 */
public record VerificationConfig(Type type, Iterative iterative, Inline inline,
                                 Map<TableId, Set<String>> ignoredColumns,
                                 Map<TableId, Map<String, String>> compressedColumns,
                                 Map<TableId, String> forcedIndexes,
                                 boolean verifyTarget) {

    /** No verification, every setting at its default. */
    public static final VerificationConfig NONE = new VerificationConfig(Type.NO_VERIFICATION, Iterative.DEFAULT,
            Inline.DEFAULT, Map.of(), Map.of(), Map.of(), false);

    /** The supported compression of a compressed column. */
    public static final String SNAPPY = "SNAPPY";

    public VerificationConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(iterative, "iterative");
        Objects.requireNonNull(inline, "inline");
        ignoredColumns = Map.copyOf(ignoredColumns);
        compressedColumns = Map.copyOf(compressedColumns);
        forcedIndexes = Map.copyOf(forcedIndexes);
    }

    /**
     * Why the ChecksumTable verifier cannot compare a copy from a {@code source} server to a {@code target} of
     * another engine, or {@code null} when the engines are the same: MySQL and MariaDB compute {@code CHECKSUM TABLE}
     * over their own row formats, and ferry maps some types across engines (MariaDB's JSON text to MySQL's JSON
     * type), so equal data never checksums equally there.
     */
    public static String checksumTableRefusal(ServerFlavor source, ServerFlavor target) {
        if (source == target) {
            return null;
        }
        return "\"VerifierType\": \"ChecksumTable\" cannot verify a copy from " + name(source) + " to " + name(target)
                + ": CHECKSUM TABLE sums each engine's own row format, and ferry maps types across engines (MariaDB's "
                + "JSON text becomes MySQL's JSON type), so equal tables checksum differently. Use \"VerifierType\": "
                + "\"Iterative\" or \"Inline\", whose row fingerprints are equal for equal data on every engine";
    }

    private static String name(ServerFlavor flavor) {
        return switch (flavor) {
            case MYSQL -> "MySQL";
            case MARIADB -> "MariaDB";
        };
    }

    /** Ghostferry's verifier types. */
    public enum Type {
        CHECKSUM_TABLE("ChecksumTable"),
        ITERATIVE("Iterative"),
        INLINE("Inline"),
        NO_VERIFICATION("NoVerification");

        private final String configName;

        Type(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** The type named {@code name} (any case); "" means none. */
        public static Optional<Type> fromConfigName(String name) {
            if (name.isEmpty()) {
                return Optional.of(NO_VERIFICATION);
            }
            for (Type t : values()) {
                if (t.configName.equalsIgnoreCase(name)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * {@code IterativeVerifierConfig}.
     *
     * @param ignoredTables          bare table names not verified
     * @param ignoredColumns         bare table name to columns left out
     * @param concurrency            tables verified at once
     * @param maxExpectedDowntime    longest acceptable verification at cutover, or {@code null} for no limit
     * @param tableColumnCompression bare table name to column to compression
     */
    public record Iterative(List<String> ignoredTables, Map<String, Set<String>> ignoredColumns, int concurrency,
                            Duration maxExpectedDowntime, Map<String, Map<String, String>> tableColumnCompression) {
        public static final int DEFAULT_CONCURRENCY = 4;
        public static final Iterative DEFAULT = new Iterative(List.of(), Map.of(), DEFAULT_CONCURRENCY, null, Map.of());

        public Iterative {
            ignoredTables = List.copyOf(ignoredTables);
            ignoredColumns = Map.copyOf(ignoredColumns);
            tableColumnCompression = Map.copyOf(tableColumnCompression);
        }
    }

    /**
     * {@code InlineVerifierConfig}.
     *
     * @param maxExpectedDowntime        longest acceptable verification at cutover, or {@code null} for no limit
     * @param verifyBinlogEventsInterval how often rows changed by the binlog are checked again
     */
    public record Inline(Duration maxExpectedDowntime, Duration verifyBinlogEventsInterval) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
        public static final Inline DEFAULT = new Inline(null, DEFAULT_INTERVAL);

        public Inline {
            Objects.requireNonNull(verifyBinlogEventsInterval, "verifyBinlogEventsInterval");
        }
    }

    /** Whether {@code table} (a source table) is verified at all. */
    public boolean verifies(TableId table) {
        return type != Type.ITERATIVE || iterative.ignoredTables().stream().noneMatch(t -> t.equals(table.table()));
    }

    /** Columns of source {@code table} left out of comparisons (names as configured). */
    public Set<String> ignoredColumnsOf(TableId table) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        out.addAll(ignoredColumns.getOrDefault(table, Set.of()));
        if (type == Type.ITERATIVE) {
            out.addAll(iterative.ignoredColumns().getOrDefault(table.table(), Set.of()));
        }
        return out;
    }

    /** Compressed columns of source {@code table}: column name (lower case) to compression. */
    public Map<String, String> compressedColumnsOf(TableId table) {
        Map<String, String> out = new LinkedHashMap<>();
        compressedColumns.getOrDefault(table, Map.of()).forEach((c, a) -> out.put(c.toLowerCase(Locale.ROOT), a));
        if (type == Type.ITERATIVE) {
            iterative.tableColumnCompression().getOrDefault(table.table(), Map.of())
                    .forEach((c, a) -> out.put(c.toLowerCase(Locale.ROOT), a));
        }
        return out;
    }

    /** The index fingerprint queries on source {@code table} force, if any. */
    public Optional<String> forcedIndexOf(TableId table) {
        return Optional.ofNullable(forcedIndexes.get(table));
    }

    /** The MaxExpectedDowntime of the chosen verifier, or {@code null}. */
    public Duration maxExpectedDowntime() {
        return switch (type) {
            case ITERATIVE -> iterative.maxExpectedDowntime();
            case INLINE -> inline.maxExpectedDowntime();
            case CHECKSUM_TABLE, NO_VERIFICATION -> null;
        };
    }

    /** A phrase for the run's start-up line. */
    public String describe() {
        if (type == Type.NO_VERIFICATION) {
            return "no verification";
        }
        var sb = new StringBuilder(type.configName()).append(" verification");
        if (!ignoredColumns.isEmpty()) {
            sb.append(", ignored columns in ").append(ignoredColumns.size()).append(" table(s)");
        }
        if (!compressedColumns.isEmpty()) {
            sb.append(", compressed columns in ").append(compressedColumns.size()).append(" table(s)");
        }
        return sb.toString();
    }
}
