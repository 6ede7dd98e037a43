package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementCommentTest {
    private final StatementComment run = new StatementComment("application:ferry,run:0a1b2c3d");

    @Test
    void marksAStatementOnce() {
        assertEquals("/*application:ferry,run:0a1b2c3d*/ SELECT 1", run.mark("SELECT 1"));
        assertEquals(run.mark("SELECT 1"), run.mark(run.mark("SELECT 1")));
        assertEquals("SELECT 1", StatementComment.NONE.mark("SELECT 1"));
    }

    @Test
    void marksEveryStatementOfAPacket() {
        assertEquals("/*application:ferry,run:0a1b2c3d*/ START TRANSACTION;\n/*application:ferry,run:0a1b2c3d*/ INSERT"
                + " INTO t VALUES (1);\n/*application:ferry,run:0a1b2c3d*/ COMMIT",
                run.join(List.of("START TRANSACTION", "INSERT INTO t VALUES (1)", "COMMIT")));
    }

    @Test
    void recognisesAnyRunsStatementsByTheMarginalia() {
        assertTrue(StatementComment.marks("application:ferry", "/*application:ferry,run:0a1b2c3d*/ INSERT INTO t"));
        assertTrue(StatementComment.marks("application:ferry", "  /*application:ferry*/ UPDATE t SET a = 1"));
        assertFalse(StatementComment.marks("application:ferry", "UPDATE t SET a = 1 /*application:ferry*/"));
        assertFalse(StatementComment.marks("application:ferry", "/*application:ferry2*/ UPDATE t SET a = 1"));
        assertFalse(StatementComment.marks("application:ferry", "/*application:other*/ UPDATE t SET a = 1"));
    }

    @Test
    void refusesACommentThatWouldEndEarly() {
        assertThrows(IllegalArgumentException.class, () -> new StatementComment("a*/b"));
    }
}
