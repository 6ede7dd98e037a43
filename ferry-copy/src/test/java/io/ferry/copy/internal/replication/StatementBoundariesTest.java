package io.ferry.copy.internal.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.StatementExecuted;
import io.ferry.binlog.TransactionCommitted;
import io.ferry.core.state.BinlogPosition;
import io.ferry.core.state.ResumablePosition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statements are applied on their own, never in one part with row changes (whose table locks they could wait on). */
class StatementBoundariesTest {
    private static ResumablePosition at(long offset) {
        return ResumablePosition.at(new BinlogPosition("bin.000001", offset));
    }

    @Test
    void eachStatementIsAPartOfItsOwnAndOrderIsKept() {
        BinlogEvent c1 = new TransactionCommitted(at(10), Instant.EPOCH);
        BinlogEvent c2 = new TransactionCommitted(at(20), Instant.EPOCH);
        BinlogEvent ddl = new StatementExecuted("db", "ALTER TABLE t ADD c INT", at(30), Instant.EPOCH);
        BinlogEvent ddl2 = new StatementExecuted("db", "DROP TABLE u", at(40), Instant.EPOCH);
        BinlogEvent c3 = new TransactionCommitted(at(50), Instant.EPOCH);
        assertEquals(List.of(List.of(c1, c2), List.of(ddl), List.of(ddl2), List.of(c3)),
                StatementBoundaries.split(List.of(c1, c2, ddl, ddl2, c3)));
        assertEquals(List.of(List.of(ddl)), StatementBoundaries.split(List.of(ddl)));
        assertEquals(List.of(List.of(c1, c2)), StatementBoundaries.split(List.of(c1, c2)));
    }
}
