package io.ferry.binlog.internal.apply;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The retry classification of {@link WriteErrors}: exactly the errors after which the same transaction can pass. */
class ApplierWriteErrorsTest {

    @Test
    void deadlocksAndLockWaitTimeoutsAreRetriable() {
        assertTrue(WriteErrors.isRetriable(new SQLException("Deadlock found when trying to get lock", "40001", 1213)));
        assertTrue(WriteErrors.isRetriable(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
    }

    @Test
    void lostConnectionsAreRetriableAndNeedANewConnection() {
        var lost = new SQLException("Communications link failure", "08S01", 0);
        assertTrue(WriteErrors.isRetriable(lost));
        assertTrue(WriteErrors.isConnectionLost(lost));
        var gone = new SQLException("MySQL server has gone away", "HY000", 2006);
        assertTrue(WriteErrors.isRetriable(gone));
        assertTrue(WriteErrors.isConnectionLost(gone));
        var poolTimeout = new SQLTransientConnectionException("ferry-target - Connection is not available");
        assertTrue(WriteErrors.isRetriable(poolTimeout));
    }

    @Test
    void theCauseChainIsSearched() {
        var deadlock = new SQLException("Deadlock found", "40001", 1213);
        var wrapped = new RuntimeException("apply failed", new BatchUpdateException("batch", "HY000", 0, new long[0], deadlock));
        assertTrue(WriteErrors.isRetriable(wrapped));
        assertFalse(WriteErrors.isConnectionLost(wrapped));
    }

    @Test
    void dataAndSchemaErrorsAreNotRetriable() {
        assertFalse(WriteErrors.isRetriable(new SQLIntegrityConstraintViolationException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062)));
        assertFalse(WriteErrors.isRetriable(new SQLException("Table 'x.t' doesn't exist", "42S02", 1146)));
        assertFalse(WriteErrors.isRetriable(new SQLException("Unknown column 'c' in 'field list'", "42S22", 1054)));
        assertFalse(WriteErrors.isRetriable(new SQLException("Data too long for column 'c'", "22001", 1406)));
        assertFalse(WriteErrors.isRetriable(new RuntimeException("no SQL error", new IOException("disk"))));
        assertFalse(WriteErrors.isRetriable(null));
    }
}
