package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.schema.ColumnSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
    private static ColumnSchema text(String charset, String collation) {
        return new ColumnSchema("k", 1, "varchar", "varchar(10)", false, false, charset, collation, 10, -1, false, false,
                List.of());
    }

    private static final List<byte[]> KEY = List.of("é".getBytes(StandardCharsets.UTF_8));
    private final SqlLiterals literals = new SqlLiterals(ServerFlavor.MYSQL);

    @Test
    void theOtherSideIsComparedInThisSidesCollationWhenItKnowsIt() {
        var source = KeyOrder.of(List.of(text("utf8mb3", "utf8mb3_general_ci")), literals);
        var target = source.on(List.of(text("utf8mb4", "utf8mb4_general_ci")));
        assertEquals("((CONVERT(`k` USING utf8mb3) COLLATE utf8mb3_general_ci > _utf8mb3 X'C3A9' COLLATE "
                + "utf8mb3_general_ci))", target.after(KEY));
        assertEquals("CAST(CONVERT(`k` USING utf8mb3) AS BINARY)", target.selectList());
    }

    @Test
    void aCollationTheOtherServerDoesNotKnowIsReplacedByItsColumnsOwn() {
        // MySQL's utf8mb4_0900_ai_ci, mapped to MariaDB 10.11's utf8mb4_uca1400_nopad_ai_ci when the table was created.
        var source = KeyOrder.of(List.of(text("utf8mb4", "utf8mb4_0900_ai_ci")), literals);
        var target = source.on(List.of(text("utf8mb4", "utf8mb4_uca1400_nopad_ai_ci")),
                Set.of("utf8mb4_uca1400_nopad_ai_ci", "utf8mb4_general_ci")::contains);
        assertEquals("((`k` > CONVERT(_utf8mb4 X'C3A9' USING utf8mb4) COLLATE utf8mb4_uca1400_nopad_ai_ci))",
                target.after(KEY));
        assertEquals("`k`", target.orderBy());
        assertEquals("CAST(CONVERT(`k` USING utf8mb4) AS BINARY)", target.selectList());
        assertEquals("(`k` IN (CONVERT(_utf8mb4 X'C3A9' USING utf8mb4) COLLATE utf8mb4_uca1400_nopad_ai_ci))",
                target.in(List.of(KEY)));
        // The source side is untouched.
        assertEquals("((`k` > _utf8mb4 X'C3A9' COLLATE utf8mb4_0900_ai_ci))", source.after(KEY));
    }
}
