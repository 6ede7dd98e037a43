package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogEvent;
import io.ferry.binlog.RowsDeleted;
import io.ferry.binlog.RowsInserted;
import io.ferry.binlog.RowsUpdated;
import io.ferry.core.schema.Row;
import io.ferry.core.verify.ChangedRows;
import java.util.ArrayList;
import java.util.List;

/** Tells a verifier which rows an applied batch of binlog events touched: both images of every updated row. */
final class RowChangeReport {
    private RowChangeReport() {
    }

    static void report(ChangedRows sink, List<BinlogEvent> applied) {
        if (sink == ChangedRows.NONE) {
            return;
        }
        for (BinlogEvent e : applied) {
            switch (e) {
                case RowsInserted r -> sink.changed(r.table(), r.schema(), r.rows());
                case RowsDeleted r -> sink.changed(r.table(), r.schema(), r.rows());
                case RowsUpdated r -> {
                    List<Row> images = new ArrayList<>(2 * r.changes().size());
                    for (RowsUpdated.Change c : r.changes()) {
                        images.add(c.before());
                        images.add(c.after());
                    }
                    sink.changed(r.table(), r.schema(), images);
                }
                default -> {
                }
            }
        }
    }
}
