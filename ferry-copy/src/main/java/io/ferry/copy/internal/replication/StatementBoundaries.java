package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.StatementExecuted;
import io.ferry.copy.internal.rowcopy.CopyTask;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a batch of binlog events so that each statement logged as text is applied on its own. A schema change may
 * wait for a table's copier to stop (see {@link CopyTask#hold}); with {@code LockInGhostferry} that copier may wait
 * for the table lock the applier holds around a part with row changes, so a statement never shares a part with them.
 */
final class StatementBoundaries {
    private StatementBoundaries() {
    }

    static List<List<BinlogEvent>> split(List<BinlogEvent> batch) {
        List<List<BinlogEvent>> parts = new ArrayList<>();
        List<BinlogEvent> current = new ArrayList<>();
        for (BinlogEvent e : batch) {
            if (e instanceof StatementExecuted) {
                if (!current.isEmpty()) {
                    parts.add(current);
                    current = new ArrayList<>();
                }
                parts.add(List.of(e));
            } else {
                current.add(e);
            }
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }
}
