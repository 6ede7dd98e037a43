package io.ferry.copy.internal.dialect;

import static io.ferry.copy.internal.dialect.Dialects.mariadb1011;
import static io.ferry.copy.internal.dialect.Dialects.mariadb114;
import static io.ferry.copy.internal.dialect.Dialects.mysql80;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.internal.dialect.DdlTranslator.Translation;
import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements are the real servers' {@code SHOW CREATE} output (MySQL 8.0.31, MariaDB 10.11 and 11.4). */
class DdlTranslatorTest {
    private static final TableId T = new TableId("shop", "t");

    private static ColumnSchema column(String name, String dataType, String columnType) {
        return new ColumnSchema(name, 1, dataType, columnType, false, true, null, null, -1, -1, false, false, List.of());
    }

    private static TableSchema schema(List<String> pk, List<List<String>> unique, ColumnSchema... columns) {
        return new TableSchema(T, List.of(columns), pk, unique);
    }

    private static List<String> mappings(Translation tr) {
        return tr.mappings().stream().map(SchemaMapping::toString).toList();
    }

    @Test
    void aMySqlTableBecomesOneMariaDbCreates() {
        String mysql = """
                CREATE TABLE `t` (
                  `id` int NOT NULL,
                  `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_as_cs DEFAULT NULL,
                  `b` varchar(5) DEFAULT NULL,
                  `g` point NOT NULL /*!80003 SRID 4326 */,
                  `h` int DEFAULT NULL /*!80023 INVISIBLE */,
                  `j` json DEFAULT (json_object()),
                  `gc` geomcollection DEFAULT NULL,
                  `t` text DEFAULT (_utf8mb3'x'),
                  PRIMARY KEY (`id`),
                  KEY `p` (`a`(3),`b`),
                  SPATIAL KEY `sg` (`g`),
                  CONSTRAINT `ck` CHECK ((`id` > 0)) /*!80016 NOT ENFORCED */,
                  CONSTRAINT `ck2` CHECK ((`id` < 1000))
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci STATS_PERSISTENT=1 COMMENT='hello'""";
        Translation tr = new DdlTranslator(mysql80(), mariadb1011()).table(mysql, T, schema(List.of("id"), List.of(List.of("a"))));
        assertEquals(List.of(), tr.refusals());
        assertEquals("""
                CREATE TABLE `t` (
                  `id` int NOT NULL,
                  `a` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_nopad_as_cs DEFAULT NULL,
                  `b` varchar(5) DEFAULT NULL,
                  `g` point NOT NULL,
                  `h` int DEFAULT NULL INVISIBLE,
                  `j` json DEFAULT (json_object()),
                  `gc` geometrycollection DEFAULT NULL,
                  `t` text DEFAULT (_utf8mb3'x'),
                  PRIMARY KEY (`id`),
                  KEY `p` (`a`(3),`b`),
                  SPATIAL KEY `sg` (`g`),
                  CONSTRAINT `ck2` CHECK ((`id` < 1000))
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_nopad_ai_ci STATS_PERSISTENT=1 COMMENT='hello'""",
                tr.sql());
        List<String> logged = mappings(tr);
        assertTrue(logged.get(0).startsWith("shop.t.a: collation utf8mb4_0900_as_cs -> utf8mb4_uca1400_nopad_as_cs (UCA "
                + "14.0.0 instead of MySQL's 9.0.0"), logged.toString());
        assertTrue(tr.mappings().get(0).warning(), "a unique key's column");
        assertEquals("shop.t.g: attribute SRID 4326 -> (none) (MariaDB does not restrict a column to one SRID; the "
                + "values keep theirs)", logged.get(1));
        assertTrue(logged.get(2).startsWith("shop.t.h: attribute /*!80023 INVISIBLE */ -> INVISIBLE"), logged.get(2));
        assertTrue(logged.get(3).startsWith("shop.t.gc: type geomcollection -> geometrycollection"), logged.get(3));
        assertTrue(logged.get(4).startsWith("shop.t: constraint CONSTRAINT `ck` CHECK ((`id` > 0)) /*!80016 NOT ENFORCED */"
                + " -> (none)"), logged.get(4));
        assertTrue(logged.get(5).startsWith("shop.t: collation utf8mb4_0900_ai_ci -> utf8mb4_uca1400_nopad_ai_ci"));
        assertEquals(6, logged.size(), logged.toString());
    }

    @Test
    void mariaDb114KeepsMySqlsCollationNamesButTheMappingIsStillReported() {
        String mysql = "CREATE TABLE `t` (\n  `a` varchar(5) DEFAULT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
                + "COLLATE=utf8mb4_0900_ai_ci";
        Translation tr = new DdlTranslator(mysql80(), mariadb114()).table(mysql, T, null);
        assertEquals(mysql, tr.sql());
        assertEquals(List.of("shop.t: collation utf8mb4_0900_ai_ci -> utf8mb4_0900_ai_ci (UCA 14.0.0 instead of MySQL's "
                + "9.0.0: characters added to Unicode after 9.0 sort and compare by their own weights)"), mappings(tr));
    }

    @Test
    void whatMariaDbCannotTakeFromMySqlIsRefusedPerObject() {
        String mysql = """
                CREATE TABLE `t` (
                  `id` int NOT NULL,
                  `b` varchar(5) COLLATE utf8mb4_ja_0900_as_cs DEFAULT NULL,
                  `c` varchar(5) CHARACTER SET gb18030 DEFAULT NULL,
                  PRIMARY KEY (`id`),
                  KEY `f` ((lower(`b`)))
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci""";
        Translation tr = new DdlTranslator(mysql80(), mariadb1011()).table(mysql, T, null);
        assertEquals(3, tr.refusals().size(), tr.refusals().toString());
        assertTrue(tr.refusals().get(0).startsWith("shop.t.b: the collation utf8mb4_ja_0900_as_cs is unknown to "
                + "MariaDB 10.11 and has no equivalent there (MariaDB has no UCA collation for MySQL's language code 'ja')."
                + " Change it on the source"), tr.refusals().get(0));
        assertTrue(tr.refusals().get(1).startsWith("shop.t.c: the character set gb18030 is unknown to MariaDB 10.11."),
                tr.refusals().get(1));
        assertTrue(tr.refusals().get(2).startsWith("shop.t index f: the index part (lower(`b`)) is an expression; "
                + "MariaDB has no functional index parts."), tr.refusals().get(2));
    }

    @Test
    void aMariaDbTableBecomesOneMySqlCreates() {
        String mariadb = """
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `a` varchar(10) DEFAULT NULL,
                  `b` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin DEFAULT NULL,
                  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT '[]' CHECK (json_valid(`j`)),
                  `j2` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j2`)),
                  `c` blob /*M!100301 COMPRESSED*/ DEFAULT NULL,
                  `t` text DEFAULT 'x',
                  `e` char(36) DEFAULT uuid(),
                  `d` datetime(3) DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
                  `i` int(11) INVISIBLE DEFAULT NULL,
                  `ck` int(11) DEFAULT NULL CHECK (`ck` > 0),
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `b` (`b`),
                  KEY `a` (`a`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci COMMENT='c' `page_compressed`=1""";
        var schema = schema(List.of("id"), List.of(List.of("b")), column("id", "int", "int(11)"),
                column("j", "json", "longtext"), column("j2", "json", "longtext"));
        Translation tr = new DdlTranslator(mariadb1011(), mysql80()).table(mariadb, T, schema);
        assertEquals(List.of(), tr.refusals());
        assertEquals("""
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `a` varchar(10) DEFAULT NULL,
                  `b` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin DEFAULT NULL,
                  `j` json DEFAULT ('[]'),
                  `j2` json DEFAULT NULL,
                  `c` blob /*M!100301 COMPRESSED*/ DEFAULT NULL,
                  `t` text DEFAULT ('x'),
                  `e` char(36) DEFAULT (uuid()),
                  `d` datetime(3) DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
                  `i` int(11) INVISIBLE DEFAULT NULL,
                  `ck` int(11) DEFAULT NULL CHECK (`ck` > 0),
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `b` (`b`),
                  KEY `a` (`a`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='c'""", tr.sql());
        List<String> logged = mappings(tr);
        assertEquals("shop.t.b: collation utf8mb4_nopad_bin -> utf8mb4_0900_bin (both compare code points without padding)",
                logged.get(0));
        assertTrue(logged.get(1).startsWith("shop.t.j: type longtext CHECK (json_valid) -> json (MariaDB's JSON is that "
                + "alias"), logged.get(1));
        assertEquals("shop.t.j: default '[]' -> ('[]') (MySQL allows a JSON column only an expression default)",
                logged.get(2));
        assertTrue(logged.get(3).startsWith("shop.t.j2: type longtext CHECK (json_valid) -> json"), logged.get(3));
        assertEquals("shop.t.c: attribute COMPRESSED -> (none) (MySQL skips MariaDB's versioned comments)", logged.get(4));
        assertEquals("shop.t.t: default 'x' -> ('x') (MySQL allows a TEXT column only an expression default)", logged.get(5));
        assertEquals("shop.t.e: default uuid() -> (uuid()) (MySQL requires an expression default in parentheses)",
                logged.get(6));
        assertEquals("shop.t: option `page_compressed`=1 -> (none) (a MariaDB storage option MySQL does not have; the "
                + "rows are the same)", logged.get(7));
        assertTrue(logged.get(8).startsWith("shop.t: collation utf8mb4_uca1400_ai_ci -> utf8mb4_0900_ai_ci (UCA 9.0.0"),
                logged.get(8));
        assertEquals(9, logged.size(), logged.toString());
    }

    @Test
    void whatMySqlCannotTakeFromMariaDbIsRefusedPerObject() {
        String mariadb = """
                CREATE TABLE `t` (
                  `id` int(11) NOT NULL,
                  `u` uuid DEFAULT NULL,
                  `s` varchar(5) COLLATE utf8mb4_general_nopad_ci DEFAULT NULL,
                  PRIMARY KEY (`id`)
                ) ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci PAGE_CHECKSUM=1 WITH SYSTEM VERSIONING""";
        Translation tr = new DdlTranslator(mariadb1011(), mysql80()).table(mariadb, T, null);
        assertEquals(List.of(
                "shop.t.u: MySQL has no UUID type. Convert the column on the source (e.g. to CHAR(36) or BINARY(16)) or "
                        + "leave the table out",
                "shop.t.s: the collation utf8mb4_general_nopad_ci is unknown to MySQL 8.0 and has no equivalent there "
                        + "(MySQL has no equivalent of MariaDB's utf8mb4_general_nopad_ci (no NO PAD form of it; with "
                        + "padding, a unique key on the target would reject values the source tells apart)). Change it on "
                        + "the source to a collation both engines know (e.g. utf8mb4_unicode_520_ci or utf8mb4_bin)",
                "shop.t: the storage engine Aria is not available on MySQL 8.0. Convert the table on the source (ALTER "
                        + "TABLE ... ENGINE=InnoDB) or leave it out",
                "shop.t: WITH SYSTEM VERSIONING (history rows) is MariaDB's own; MySQL has no such tables. Leave the "
                        + "table out"), tr.refusals());
    }

    @Test
    void aCharacterSetWithoutCollationGetsTheSourcesDefault() {
        // MySQL's utf8mb4 defaults to utf8mb4_0900_ai_ci, MariaDB's to utf8mb4_general_ci.
        Translation tr = new DdlTranslator(mysql80(), mariadb1011()).table(
                "ALTER TABLE `shop`.`t` ADD COLUMN `n` varchar(3) CHARACTER SET utf8mb4, CONVERT TO CHARACTER SET utf8", T, null);
        assertEquals("ALTER TABLE `shop`.`t` ADD COLUMN `n` varchar(3) CHARACTER SET utf8mb4 COLLATE "
                + "utf8mb4_uca1400_nopad_ai_ci, CONVERT TO CHARACTER SET utf8mb3", tr.sql());
        assertEquals(List.of("shop.t.n: collation utf8mb4_0900_ai_ci (default of utf8mb4) -> utf8mb4_uca1400_nopad_ai_ci "
                + "(the target's default for utf8mb4 is utf8mb4_general_ci)",
                "shop.t: character set utf8 -> utf8mb3 (the same character set, spelled as both engines spell it)"),
                mappings(tr));
    }

    @Test
    void replicatedSchemaChangesAreTranslatedLikeTables() {
        var toMariaDb = new DdlTranslator(mysql80(), mariadb1011());
        assertEquals("ALTER TABLE `shop`.`t` ADD COLUMN `g` point NOT NULL, MODIFY `a` varchar(9) COLLATE "
                        + "utf8mb4_uca1400_nopad_ai_ci",
                toMariaDb.table("ALTER TABLE `shop`.`t` ADD COLUMN `g` point NOT NULL SRID 0, MODIFY `a` varchar(9) "
                        + "COLLATE utf8mb4_0900_ai_ci", T, null).sql());
        Translation unenforced = toMariaDb.table("ALTER TABLE `shop`.`t` ADD CONSTRAINT `c` CHECK (`a` > 0) NOT ENFORCED,"
                + " ADD COLUMN `b` int", T, null);
        assertEquals("ALTER TABLE `shop`.`t` ADD COLUMN `b` int", unenforced.sql());
        assertTrue(unenforced.mappings().getFirst().warning());
        Translation index = toMariaDb.table("CREATE INDEX `f` ON `shop`.`t` ((`a` + 1))", T, null);
        assertEquals(1, index.refusals().size(), index.refusals().toString());
        var toMySql = new DdlTranslator(mariadb1011(), mysql80());
        assertEquals("ALTER TABLE `shop`.`t` ADD `x` text DEFAULT ('a'), ALTER COLUMN `e` SET DEFAULT (uuid())",
                toMySql.table("ALTER TABLE `shop`.`t` ADD `x` text DEFAULT 'a', ALTER COLUMN `e` SET DEFAULT uuid()", T,
                        null).sql());
        assertTrue(toMySql.table("ALTER TABLE `shop`.`t` ADD COLUMN `ip` INET6", T, null).refusals().getFirst()
                .startsWith("shop.t.ip: MySQL has no INET6 type."));
    }

    @Test
    void sameEngineStatementsPassUnchanged() {
        String mysql = "CREATE TABLE `t` (\n  `g` point NOT NULL /*!80003 SRID 4326 */,\n  KEY `f` ((lower(`g`)))\n) "
                + "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
        Translation tr = new DdlTranslator(mysql80(), mysql80()).table(mysql, T, null);
        assertEquals(mysql, tr.sql());
        assertEquals(List.of(), tr.mappings());
        assertEquals(List.of(), tr.refusals());
    }

    @Test
    void databasesKeepTheirCollationsOnTheTarget() {
        Translation tr = new DdlTranslator(mysql80(), mariadb1011()).database("CREATE DATABASE `shop` /*!40100 DEFAULT "
                + "CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */", "shop");
        assertEquals("CREATE DATABASE `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_nopad_ai_ci "
                + "*/ /*!80016 DEFAULT ENCRYPTION='N' */", tr.sql());
        assertEquals(1, tr.mappings().size(), mappings(tr).toString());
    }

    @Test
    void valueRangesTheEnginesDoNotShareAreListed() {
        String mysql = "CREATE TABLE `t` (\n  `f` float DEFAULT NULL,\n  `d` double NOT NULL,\n  `t` time(3) DEFAULT NULL\n)";
        Translation toMariaDb = new DdlTranslator(mysql80(), mariadb1011()).table(mysql, T, null);
        assertEquals(List.of("shop.t.f", "shop.t.d"), toMariaDb.mappings().stream().map(SchemaMapping::object).toList());
        assertTrue(mappings(toMariaDb).getFirst().startsWith("shop.t.f: value -0 (negative zero) -> 0 (MariaDB stores"),
                mappings(toMariaDb).toString());
        String mariaDb = "CREATE TABLE `t` (\n  `f` double DEFAULT NULL,\n  `t` time(3) DEFAULT NULL,\n"
                + "  `t0` time DEFAULT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci";
        Translation toMySql = new DdlTranslator(mariadb1011(), mysql80()).table(mariaDb, T, null);
        assertEquals(List.of("shop.t.t: type time(3) -> time(3)"), toMySql.mappings().stream()
                .map(m -> m.object() + ": " + m.what() + " " + m.from() + " -> " + m.to()).toList());
        assertTrue(toMySql.mappings().getFirst().warning());
    }
}
