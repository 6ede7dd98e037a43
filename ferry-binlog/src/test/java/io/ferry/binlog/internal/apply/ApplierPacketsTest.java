package io.ferry.binlog.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link TransactionWriter} frames a transaction into multi-statement packets. */
class ApplierPacketsTest {

    @Test
    void aTransactionIsOnePacketFramedByStartTransactionAndCommit() {
        assertEquals(List.of("START TRANSACTION;\nDELETE FROM t WHERE a = 1;\nINSERT IGNORE INTO t (a) VALUES (2);\nCOMMIT"),
                TransactionWriter.packets(List.of("DELETE FROM t WHERE a = 1", "INSERT IGNORE INTO t (a) VALUES (2)"), 1 << 20));
    }

    @Test
    void aTransactionOverTheLimitIsSplitIntoPacketsOfTheSameTransaction() {
        String s = "x".repeat(40);
        List<String> packets = TransactionWriter.packets(List.of(s, s, s), 100);
        assertEquals(List.of(
                "START TRANSACTION;\n" + s,
                s + ";\n" + s + ";\nCOMMIT"), packets);
    }

    @Test
    void aSingleStatementLongerThanTheLimitStillGoesInOnePacket() {
        String s = "y".repeat(500);
        assertEquals(List.of("START TRANSACTION;\n" + s + ";\nCOMMIT"),
                TransactionWriter.packets(List.of(s), 100));
    }
}
