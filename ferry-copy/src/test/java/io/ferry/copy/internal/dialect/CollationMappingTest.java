package io.ferry.copy.internal.dialect;

import static io.ferry.copy.internal.dialect.Dialects.mariadb1011;
import static io.ferry.copy.internal.dialect.Dialects.mariadb114;
import static io.ferry.copy.internal.dialect.Dialects.mysql80;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.internal.dialect.CollationMapping.Mapped;
import io.ferry.copy.internal.dialect.CollationMapping.Same;
import io.ferry.copy.internal.dialect.CollationMapping.Unmapped;
import org.junit.jupiter.api.Test;

class CollationMappingTest {
    private static Mapped mapped(String collation, ServerDialect source, ServerDialect target) {
        var d = CollationMapping.decide(collation, source, target);
        return assertInstanceOf(Mapped.class, d, collation + ": " + d);
    }

    private static String unmapped(String collation, ServerDialect source, ServerDialect target) {
        var d = CollationMapping.decide(collation, source, target);
        return assertInstanceOf(Unmapped.class, d, collation + ": " + d).reason();
    }

    @Test
    void mySqlsUca900CollationsBecomeMariaDbsUca1400NoPadOnes() {
        Mapped m = mapped("utf8mb4_0900_ai_ci", mysql80(), mariadb1011());
        assertEquals("utf8mb4_uca1400_nopad_ai_ci", m.to());
        assertFalse(m.exact());
        assertTrue(m.note().contains("UCA 14.0.0 instead of MySQL's 9.0.0"), m.note());
        assertEquals("utf8mb4_uca1400_nopad_as_cs", mapped("utf8mb4_0900_as_cs", mysql80(), mariadb1011()).to());
        assertEquals("utf8mb4_uca1400_german2_nopad_ai_ci", mapped("utf8mb4_de_pb_0900_ai_ci", mysql80(), mariadb1011()).to());
    }

    @Test
    void mariaDb114KeepsMySqlsNameWhereItsAliasIsTheSameCollation() {
        Mapped m = mapped("utf8mb4_0900_ai_ci", mysql80(), mariadb114());
        assertEquals("utf8mb4_0900_ai_ci", m.to());
        assertFalse(m.exact(), "UCA 14 is still not UCA 9");
        // MariaDB 11.4's utf8mb4_0900_bin pads; MySQL's does not, so the NO PAD collation is used instead.
        Mapped bin = mapped("utf8mb4_0900_bin", mysql80(), mariadb114());
        assertEquals("utf8mb4_nopad_bin", bin.to());
        assertTrue(bin.exact());
        assertTrue(bin.note().contains("the target's own utf8mb4_0900_bin is utf8mb4_bin"), bin.note());
        assertEquals("utf8mb4_nopad_bin", mapped("utf8mb4_0900_bin", mysql80(), mariadb1011()).to());
    }

    @Test
    void mariaDbsUca1400CollationsBecomeMySqlsUca900Ones() {
        Mapped m = mapped("utf8mb4_uca1400_ai_ci", mariadb1011(), mysql80());
        assertEquals("utf8mb4_0900_ai_ci", m.to());
        assertTrue(m.note().contains("UCA 9.0.0") && m.note().contains("NO PAD instead of PAD SPACE"), m.note());
        Mapped nopad = mapped("utf8mb4_uca1400_nopad_as_cs", mariadb1011(), mysql80());
        assertEquals("utf8mb4_0900_as_cs", nopad.to());
        assertFalse(nopad.note().contains("PAD SPACE"), nopad.note());
        assertEquals("utf8mb4_de_pb_0900_ai_ci", mapped("utf8mb4_uca1400_german2_ai_ci", mariadb1011(), mysql80()).to());
        Mapped bin = mapped("utf8mb4_nopad_bin", mariadb1011(), mysql80());
        assertEquals("utf8mb4_0900_bin", bin.to());
        assertTrue(bin.exact());
    }

    @Test
    void aMariaDb114AliasIsMappedAsWhatItStandsFor() {
        Mapped m = mapped("utf8mb4_0900_ai_ci", mariadb114(), mysql80());
        assertEquals("utf8mb4_0900_ai_ci", m.to(), "the same name, but UCA 14 there and UCA 9 here");
        assertFalse(m.exact());
        Mapped bin = mapped("utf8mb4_0900_bin", mariadb114(), mysql80());
        assertEquals("utf8mb4_bin", bin.to(), "MariaDB's utf8mb4_0900_bin is utf8mb4_bin, which pads");
        assertTrue(bin.exact());
        // Between MariaDB versions: 10.11 has no alias, but has the collation it stands for.
        Mapped down = mapped("utf8mb4_0900_ai_ci", mariadb114(), mariadb1011());
        assertEquals("utf8mb4_uca1400_nopad_ai_ci", down.to());
        assertTrue(down.exact());
    }

    @Test
    void inheritedCollationsKeepTheirNames() {
        for (String name : new String[] {"utf8mb4_general_ci", "utf8mb4_bin", "utf8mb4_unicode_520_ci", "latin1_swedish_ci",
                "binary", "utf8mb3_general_ci"}) {
            assertInstanceOf(Same.class, CollationMapping.decide(name, mysql80(), mariadb1011()), name);
            assertInstanceOf(Same.class, CollationMapping.decide(name, mariadb1011(), mysql80()), name);
        }
        Mapped spelled = mapped("utf8_general_ci", mysql80(), mysql80());
        assertEquals("utf8mb3_general_ci", spelled.to());
        assertTrue(spelled.exact());
        assertEquals("utf8mb3_general_ci", mapped("utf8_general_ci", mysql80(), mariadb1011()).to());
    }

    @Test
    void collationsWithoutAnEquivalentAreRefusedWithTheReason() {
        assertTrue(unmapped("utf8mb4_ja_0900_as_cs", mysql80(), mariadb1011()).contains("language code 'ja'"));
        assertTrue(unmapped("utf8mb4_general_nopad_ci", mariadb1011(), mysql80()).contains("no NO PAD form"));
        assertTrue(unmapped("latin1_nopad_bin", mariadb1011(), mysql80()).contains("unique key"));
        assertTrue(unmapped("utf8mb3_uca1400_ai_ci", mariadb1011(), mysql80()).contains("only for utf8mb4"));
        assertTrue(unmapped("utf8mb4_uca1400_ai_cs", mariadb1011(), mysql80()).contains("no ai_cs variant"));
        assertTrue(unmapped("utf8mb4_uca1400_persian_ai_ci", mariadb1011(), mysql80()).contains("persian"));
        assertTrue(unmapped("gb18030_chinese_ci", mysql80(), mariadb1011()).contains("MariaDB 10.11 does not have it"));
    }
}
