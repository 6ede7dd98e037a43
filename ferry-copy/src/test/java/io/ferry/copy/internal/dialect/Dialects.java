package io.ferry.copy.internal.dialect;

import io.ferry.core.db.ServerCollations;
import io.ferry.core.db.ServerCollations.Collation;
import io.ferry.core.db.ServerInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Small stand-ins for what the three engines report (names and defaults as the real servers list them; only the
 * collations the tests use).
 */
final class Dialects {
    private Dialects() {
    }

    static ServerDialect mysql80() {
        return dialect("8.0.31", Map.of("utf8mb4", "utf8mb4_0900_ai_ci", "utf8mb3", "utf8mb3_general_ci",
                        "latin1", "latin1_swedish_ci", "binary", "binary", "gb18030", "gb18030_chinese_ci"),
                Map.of(), "utf8mb4_0900_ai_ci", "utf8mb4_0900_as_ci", "utf8mb4_0900_as_cs", "utf8mb4_0900_bin",
                "utf8mb4_de_pb_0900_ai_ci", "utf8mb4_ja_0900_as_cs", "utf8mb4_general_ci", "utf8mb4_bin",
                "utf8mb4_unicode_ci", "utf8mb4_unicode_520_ci", "utf8mb3_general_ci", "utf8mb3_bin", "latin1_swedish_ci",
                "latin1_bin", "binary", "gb18030_chinese_ci");
    }

    static ServerDialect mariadb1011() {
        return dialect("10.11.19-MariaDB-0+deb12u1-log", MARIADB_DEFAULTS, Map.of(), MARIADB_COLLATIONS);
    }

    /** 11.4 knows MySQL's 0900 names as aliases, as the real server lists them. */
    static ServerDialect mariadb114() {
        return dialect("11.4.5-MariaDB-log", MARIADB_DEFAULTS, Map.of("utf8mb4_0900_ai_ci", "utf8mb4_uca1400_nopad_ai_ci",
                "utf8mb4_0900_as_cs", "utf8mb4_uca1400_nopad_as_cs", "utf8mb4_0900_bin", "utf8mb4_bin"), MARIADB_COLLATIONS);
    }

    private static final Map<String, String> MARIADB_DEFAULTS = Map.of("utf8mb4", "utf8mb4_general_ci",
            "utf8mb3", "utf8mb3_general_ci", "latin1", "latin1_swedish_ci", "binary", "binary");
    private static final String[] MARIADB_COLLATIONS = {"utf8mb4_general_ci", "utf8mb4_bin", "utf8mb4_unicode_ci",
            "utf8mb4_unicode_520_ci", "utf8mb4_nopad_bin", "utf8mb4_general_nopad_ci", "utf8mb4_uca1400_ai_ci",
            "utf8mb4_uca1400_as_cs", "utf8mb4_uca1400_ai_cs", "utf8mb4_uca1400_nopad_ai_ci",
            "utf8mb4_uca1400_nopad_as_ci", "utf8mb4_uca1400_nopad_as_cs", "utf8mb4_uca1400_german2_nopad_ai_ci",
            "utf8mb4_uca1400_german2_ai_ci", "utf8mb4_uca1400_persian_ai_ci", "utf8mb3_general_ci", "utf8mb3_bin",
            "utf8mb3_uca1400_ai_ci", "latin1_swedish_ci", "latin1_bin", "latin1_nopad_bin", "binary"};

    private static ServerDialect dialect(String version, Map<String, String> defaults, Map<String, String> aliases,
                                         String... names) {
        Map<String, Collation> collations = new HashMap<>();
        for (String name : names) {
            collations.put(name, new Collation(name, name.substring(0, name.contains("_") ? name.indexOf('_') : name.length()), null));
        }
        aliases.forEach((name, of) -> collations.put(name, new Collation(name, "utf8mb4", of)));
        return new ServerDialect(ServerInfo.parse(version), new ServerCollations(collations, defaults),
                Set.of("innodb", "myisam", "memory") );
    }
}
