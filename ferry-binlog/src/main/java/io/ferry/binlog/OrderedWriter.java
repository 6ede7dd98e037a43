package io.ferry.binlog;

import io.ferry.binlog.internal.apply.PendingTransaction;
import io.ferry.binlog.internal.apply.TransactionWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows events to the target in the order given, as transactions of at most
 * {@link BinlogApplier.Settings#batchSize} row changes, each sent in one round trip. The {@link BinlogApplier}
 * runs one for its ordered path and one per lane of a parallel apply; each is used by one thread at a time.
 */
final class OrderedWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedWriter.class);

    /** Told of every committed transaction, on the writing thread; may throw to stop the writer. */
    @FunctionalInterface
    interface Commits {
        void committed(PendingTransaction<BinlogEvent> tx);
    }

    private final BinlogApplier.Settings settings;
    private final TransactionWriter writer;
    private final boolean writesPosition;
    private final Commits commits;
    private final PendingTransaction<BinlogEvent> pending = new PendingTransaction<>();
    private final PendingRowChanges rows;

    /**
     * @param writesPosition whether each transaction that completes events carries the listener's
     *                       {@link BinlogApplier.ApplyListener#positionStatement} (only a writer that sees every
     *                       event of the stream may record how far it got)
     */
    OrderedWriter(BinlogApplier.Settings settings, TransactionWriter writer, boolean writesPosition, Commits commits) {
        this.settings = settings;
        this.writer = writer;
        this.writesPosition = writesPosition;
        this.commits = commits;
        this.rows = new PendingRowChanges(settings, pending, this::flush);
    }

    /** Adds a rows event or a commit to the pending transaction, committing full transactions on the way. */
    void add(BinlogEvent event) {
        switch (event) {
            case RowsInserted e -> rows.add(e);
            case RowsUpdated e -> rows.add(e);
            case RowsDeleted e -> rows.add(e);
            case TransactionCommitted e -> {
                pending.addEvent(e, 0);
                pending.completedThrough(e.position());
            }
            case RowsQueryLogged e -> { } // the source's streamer does not ask for them
            case StatementExecuted e -> throw new IllegalArgumentException("statements are not row changes: " + e);
        }
    }

    /** Writes every event of {@code events}, then commits what is pending. */
    void write(List<BinlogEvent> events) {
        for (BinlogEvent e : events) {
            add(e);
        }
        flush();
    }

    /** Commits the pending transaction, if any, and tells {@link Commits}. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<BinlogEvent> batch = pending.events();
        settings.listener().beforeApply(batch);
        try {
            if (!pending.statements().isEmpty()) {
                String position = !writesPosition || pending.completedPosition() == null ? null
                        : settings.listener().positionStatement(pending.completedPosition());
                if (position != null) {
                    pending.addStatement(position, pending.tableOf(pending.statements().size() - 1),
                            pending.completedPosition());
                }
                int attempts = writer.write(pending);
                LOG.atDebug().addKeyValue("tables", pending.tables()).addKeyValue("rows", pending.rowChanges())
                        .addKeyValue("attempts", attempts).log("binlog batch applied");
            }
        } catch (RuntimeException e) {
            settings.listener().applyFailed(batch, e);
            pending.clear();
            throw e;
        }
        try {
            commits.committed(pending);
        } finally {
            pending.clear();
        }
    }

    /** Drops what is pending (after a failure or a stop). */
    void clear() {
        pending.clear();
    }
}
