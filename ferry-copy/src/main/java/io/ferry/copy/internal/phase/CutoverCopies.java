package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.operations.StatusView;
import io.ferry.copy.internal.rowcopy.TableCopier;
import io.ferry.copy.internal.rowcopy.TableProgress;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a selective copy's cutover between the binlog's stop and the verification: the tables whose rows are
 * not replicated ({@link CopyTiming#RECOPIED_AT_CUTOVER}, {@link CopyTiming#AT_CUTOVER}) are copied under the lock,
 * each batch under the run's copy lock and inline check like any other, and the verifier is told to compare them
 * whole.
 */
final class CutoverCopies {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverCopies.class);

    private CutoverCopies() {
    }

    /** Copies the tables copied at cutover; returns them (none for a whole copy). */
    static Set<TableId> run(CopydbConfig config, RunParts parts, StatusView status) throws InterruptedException {
        var preflight = parts.prepared().preflight();
        RowFilter rows = preflight.subset().rows();
        Set<TableId> copied = new LinkedHashSet<>();
        if (rows == RowFilter.ALL) {
            return copied;
        }
        for (TableId t : preflight.order()) {
            TableSchema schema = preflight.checked().tables().get(t);
            CopyTiming timing = rows.timing(schema);
            if (timing == CopyTiming.STREAMED) {
                continue;
            }
            List<ColumnSchema> key = preflight.checked().keys().get(t);
            String keyColumns = String.join(",", key.stream().map(ColumnSchema::name).toList());
            // A table copied only now shows in the status and the run's totals; one copied again already does.
            TableProgress progress = timing == CopyTiming.AT_CUTOVER
                    ? status.track(t, keyColumns, preflight.checked().rowsToCopy(t))
                    : new TableProgress(t, keyColumns, status.metrics());
            long started = System.nanoTime();
            long n = new TableCopier(parts.copyContext(), schema, config.targetOf(t), key, progress,
                    preflight.checked().rowsToCopy(t), 1).copy();
            LOG.info("{}: {} rows copied under the cutover lock in {} ms ({})", t, n,
                    (System.nanoTime() - started) / 1_000_000,
                    timing == CopyTiming.AT_CUTOVER ? "copied at cutover only" : "copied again: not replicated");
            copied.add(t);
        }
        return copied;
    }
}
