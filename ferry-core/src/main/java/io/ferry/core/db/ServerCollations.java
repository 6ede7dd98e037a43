package io.ferry.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The character sets and collations one server knows, as it says itself. MariaDB 10.10+ lists its UCA 14.0.0
 * collations only in {@code COLLATION_CHARACTER_SET_APPLICABILITY} ({@code FULL_COLLATION_NAME}
 * {@code utf8mb4_uca1400_ai_ci}), and MariaDB 11.4 lists MySQL's {@code utf8mb4_0900_*} names as aliases
 * ({@code COMMENT 'Alias for utf8mb4_uca1400_nopad_ai_ci'}); both are read here.
 *
 * @param collations       every collation by lower-case name
 * @param defaultCollation each character set's default collation, by lower-case character set name
 */
public record ServerCollations(Map<String, Collation> collations, Map<String, String> defaultCollation) {
    private static final Pattern ALIAS = Pattern.compile("(?i)^Alias for (\\w+)$");

    /**
     * One collation.
     *
     * @param name    as the server spells it
     * @param charset its character set
     * @param aliasOf the collation it is another name for on this server (MariaDB 11.4's MySQL names), or null
     */
    public record Collation(String name, String charset, String aliasOf) {
        public Collation {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(charset, "charset");
        }
    }

    public ServerCollations {
        collations = Map.copyOf(collations);
        defaultCollation = Map.copyOf(defaultCollation);
    }

    public static ServerCollations load(Connection c) throws SQLException {
        Map<String, Collation> collations = new HashMap<>();
        Map<String, String> defaults = new HashMap<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT * FROM information_schema.COLLATIONS")) {
                boolean comments = hasColumn(rs, "COMMENT");
                while (rs.next()) {
                    if (rs.getString("CHARACTER_SET_NAME") == null) {
                        continue; // MariaDB's charset-independent uca1400_* names; their full names follow below
                    }
                    String alias = null;
                    if (comments && rs.getString("COMMENT") != null) {
                        Matcher m = ALIAS.matcher(rs.getString("COMMENT").strip());
                        alias = m.matches() ? m.group(1) : null;
                    }
                    put(collations, new Collation(rs.getString("COLLATION_NAME"), rs.getString("CHARACTER_SET_NAME"), alias));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT * FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY")) {
                String nameColumn = hasColumn(rs, "FULL_COLLATION_NAME") ? "FULL_COLLATION_NAME" : "COLLATION_NAME";
                while (rs.next()) {
                    String name = rs.getString(nameColumn);
                    collations.putIfAbsent(name.toLowerCase(Locale.ROOT),
                            new Collation(name, rs.getString("CHARACTER_SET_NAME"), null));
                }
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS")) {
                while (rs.next()) {
                    defaults.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        return new ServerCollations(collations, defaults);
    }

    private static void put(Map<String, Collation> into, Collation c) {
        into.put(c.name().toLowerCase(Locale.ROOT), c);
    }

    private static boolean hasColumn(ResultSet rs, String name) throws SQLException {
        var meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (meta.getColumnLabel(i).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    public boolean knows(String collation) {
        return collations.containsKey(collation.toLowerCase(Locale.ROOT));
    }

    public Optional<Collation> collation(String name) {
        return Optional.ofNullable(collations.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean knowsCharset(String charset) {
        return defaultCollation.containsKey(charset.toLowerCase(Locale.ROOT));
    }

    /** The collation {@code name} stands for here: itself, or what it is an alias of. */
    public String resolved(String name) {
        return collation(name).map(c -> c.aliasOf() != null ? c.aliasOf() : c.name()).orElse(name);
    }
}
