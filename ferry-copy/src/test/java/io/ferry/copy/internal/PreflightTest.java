package io.ferry.copy.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.db.ServerInfo;
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
}
