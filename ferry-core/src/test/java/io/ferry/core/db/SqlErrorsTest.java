package io.ferry.core.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** The retry classification of {@link SqlErrors}: exactly the errors after which the same transaction can pass. */
class SqlErrorsTest {

    @Test
    void deadlocksAndLockWaitTimeoutsAreRetriable() {
        assertTrue(SqlErrors.isRetriable(new SQLException("Deadlock found when trying to get lock", "40001", 1213)));
        assertTrue(SqlErrors.isRetriable(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
    }

    @Test
    void lostConnectionsAreRetriableAndNeedANewConnection() {
        var lost = new SQLException("Communications link failure", "08S01", 0);
        assertTrue(SqlErrors.isRetriable(lost));
        assertTrue(SqlErrors.isConnectionLost(lost));
        var gone = new SQLException("MySQL server has gone away", "HY000", 2006);
        assertTrue(SqlErrors.isRetriable(gone));
        assertTrue(SqlErrors.isConnectionLost(gone));
        var poolTimeout = new SQLTransientConnectionException("ferry-target - Connection is not available");
        assertTrue(SqlErrors.isRetriable(poolTimeout));
    }

    @Test
    void theCauseChainIsSearched() {
        var deadlock = new SQLException("Deadlock found", "40001", 1213);
        var wrapped = new RuntimeException("apply failed", new BatchUpdateException("batch", "HY000", 0, new long[0], deadlock));
        assertTrue(SqlErrors.isRetriable(wrapped));
        assertFalse(SqlErrors.isConnectionLost(wrapped));
    }

    @Test
    void dataAndSchemaErrorsAreNotRetriable() {
        assertFalse(SqlErrors.isRetriable(new SQLIntegrityConstraintViolationException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062)));
        assertFalse(SqlErrors.isRetriable(new SQLException("Table 'x.t' doesn't exist", "42S02", 1146)));
        assertFalse(SqlErrors.isRetriable(new SQLException("Unknown column 'c' in 'field list'", "42S22", 1054)));
        assertFalse(SqlErrors.isRetriable(new SQLException("Data too long for column 'c'", "22001", 1406)));
        assertFalse(SqlErrors.isRetriable(new RuntimeException("no SQL error", new IOException("disk"))));
        assertFalse(SqlErrors.isRetriable(null));
    }
}
