package io.ferry.copy.internal.preflight;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.db.ServerInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the target verifier ({@code "SkipTargetVerification": false}) needs of the target: a binary log in ROW
 * format (a foreign change logged as a statement would go unseen), the statement of each row change logged with it
 * ({@code binlog_annotate_row_events} on MariaDB, on by default; {@code binlog_rows_query_log_events} on MySQL, off
 * by default), and the privileges to read the binlog. Every problem is reported at once.
 */
final class TargetVerifierCheck {
    private static final String SKIP = "; or set \"SkipTargetVerification\": true to run without the target verifier";

    private TargetVerifierCheck() {
    }

    static void check(Connection target, ServerInfo server, String user) throws SQLException {
        String annotate = server.isMariaDb() ? "binlog_annotate_row_events" : "binlog_rows_query_log_events";
        Map<String, String> v = Preflight.variables(target, "log_bin", "binlog_format", annotate);
        List<String> problems = new ArrayList<>();
        if (!on(v.get("log_bin"))) {
            problems.add("the target has no binary log (log_bin is OFF). Start it with log_bin (e.g. --log-bin=binlog)"
                    + " and binlog_format=ROW");
        } else if (!"ROW".equalsIgnoreCase(v.get("binlog_format"))) {
            problems.add("the target's binlog_format is " + v.get("binlog_format") + "; a write logged as a statement"
                    + " would go unseen. Run SET GLOBAL binlog_format='ROW' on the target (and set it in its"
                    + " configuration)");
        }
        if (!on(v.get(annotate))) {
            problems.add("the target does not log the statement of each row change (" + annotate + " is "
                    + v.get(annotate) + "), which tells ferry's writes from others'. Run SET GLOBAL " + annotate
                    + "=ON on the target (and set it in its configuration)");
        }
        Set<String> grants = Preflight.globalPrivileges(target);
        if (!grants.contains("ALL PRIVILEGES") && (!grants.contains("REPLICATION SLAVE")
                || !(grants.contains("REPLICATION CLIENT") || grants.contains("BINLOG MONITOR")
                        || grants.contains("SUPER")))) {
            problems.add("the target user " + user + " cannot read the target's binlog; run on the target: GRANT"
                    + " REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'<host>'");
        }
        if (!problems.isEmpty()) {
            throw new PreconditionFailed("\"SkipTargetVerification\": false makes ferry watch the target's binlog for"
                    + " writes by others, but " + String.join("; ", problems) + SKIP);
        }
    }

    private static boolean on(String value) {
        return "ON".equalsIgnoreCase(value) || "1".equals(value);
    }
}
