package io.ferry.copy.internal.preflight;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import io.ferry.core.db.ServerInfo;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Preflight decisions that depend on settings the shared test servers cannot take (checked against LockInGhostferryIT). */
class PreflightTest {
    private static final ServerInfo MYSQL = ServerInfo.parse("8.0.31");
    private static final ServerInfo MARIADB = ServerInfo.parse("10.11.6-MariaDB-0+deb12u1-log");

    @Test
    void lockInGhostferryOnMySqlNeedsGtids() {
        assertNull(Preflight.lockInGhostferryProblem(MYSQL, "ON"));
        for (String mode : new String[] {"OFF", "OFF_PERMISSIVE", "ON_PERMISSIVE", null}) {
            String problem = Preflight.lockInGhostferryProblem(MYSQL, mode);
            assertTrue(problem != null && problem.contains("needs gtid_mode=ON") && problem.contains("LockOnSourceDB")
                    && problem.contains("(it is " + (mode == null ? "unknown" : mode) + ")"), String.valueOf(problem));
        }
    }

    @Test
    void mariaDbSnapshotsReportTheirPositionWithoutGtids() {
        assertNull(Preflight.lockInGhostferryProblem(MARIADB, null));
        assertNull(Preflight.lockInGhostferryProblem(MARIADB, "OFF"));
    }

    @Test
    void jsonColumnsNeedAServerThatListsTheirTypes() {
        var json = new ColumnSchema("doc", 2, "json", "json", false, true, null, null, -1, -1, false, false, List.of());
        var id = new ColumnSchema("id", 1, "int", "int", false, false, null, null, -1, -1, false, false, List.of());
        var table = new TableSchema(new TableId("shop", "t"), List.of(id, json), List.of("id"), List.of());
        assertNull(Preflight.unsupportedColumns(table, MYSQL));
        assertNull(Preflight.unsupportedColumns(table, MARIADB));
        String problem = Preflight.unsupportedColumns(table, ServerInfo.parse("5.7.44-log"));
        assertTrue(problem != null && problem.contains("JSON column(s) doc") && problem.contains("MySQL 8.0"),
                String.valueOf(problem));
    }
}
