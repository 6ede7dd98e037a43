package io.ferry.verify;

import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.concurrent.TaskScope;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.verify.Mismatch;
import io.ferry.core.verify.TableChange;
import io.ferry.core.verify.VerificationResult;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerificationTracker;
import io.ferry.core.verify.VerifiedTable;
import io.ferry.core.verify.Verifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ghostferry's ChecksumTable verifier: {@code CHECKSUM TABLE ... EXTENDED} on the source and the target table in
 * parallel, table by table, compared. Whole tables only (no row is named), valid only while neither side is written,
 * and the checksum covers the tables' physical column types and charsets, so a utf8mb3 column copied into a utf8mb4
 * one differs here though the text is equal (the Iterative verifier compares such data as equal). Restartable.
 * Tables without a key need nothing special (a checksum counts duplicate rows). After a schema change the table is
 * checksummed under its new name; a dropped table leaves, a table created during the run joins. Refused across
 * engines (see {@link VerificationConfig#checksumTableRefusal}).
 */
public final class ChecksumTableVerifier implements Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(ChecksumTableVerifier.class);
    private final int concurrency;
    private final VerificationTracker tracker = new VerificationTracker();
    private volatile VerificationScope scope;
    /** The scope's tables, as schema changes left them; replaced whole. */
    private volatile List<VerifiedTable> tables = List.of();

    /** @param concurrency tables checksummed at once */
    public ChecksumTableVerifier(int concurrency) {
        this.concurrency = Math.max(1, concurrency);
    }

    /** @throws PreconditionFailed across engines, see {@link VerificationConfig#checksumTableRefusal} */
    @Override
    public void prepare(VerificationScope scope) {
        String refusal = VerificationConfig.checksumTableRefusal(scope.sourceFlavor(), scope.targetFlavor());
        if (refusal != null) {
            throw new PreconditionFailed(refusal);
        }
        this.tables = scope.tables();
        this.scope = scope;
    }

    @Override
    public void schemaChanged(List<TableChange> changes) {
        List<VerifiedTable> next = new ArrayList<>();
        List<TableChange> unknown = new ArrayList<>(changes);
        for (VerifiedTable t : tables) {
            TableChange change = changes.stream().filter(c -> c.was().equals(t.id())).findFirst().orElse(null);
            unknown.remove(change);
            if (change == null) {
                next.add(t);
            } else if (change instanceof TableChange.Altered a) {
                next.add(new VerifiedTable(a.schema(), a.target(), List.of()));
            }
        }
        for (TableChange c : unknown) {
            if (c instanceof TableChange.Altered a && next.stream().noneMatch(t -> t.id().equals(a.now()))) {
                next.add(new VerifiedTable(a.schema(), a.target(), List.of()));
            }
        }
        tables = List.copyOf(next);
    }

    @Override
    public void verifyBeforeCutover() {
        // Checksums are only meaningful once writes stopped.
    }

    @Override
    public VerificationResult verifyDuringCutover() throws Exception {
        return tracker.run(this::verifyNow);
    }

    private VerificationResult verifyNow() throws InterruptedException {
        VerificationScope s = prepared();
        var slots = new Semaphore(concurrency);
        List<TaskScope.Subtask<Mismatch>> results = new ArrayList<>();
        try (var tasks = new TaskScope("ferry-checksum")) {
            for (VerifiedTable t : tables) {
                results.add(tasks.fork(() -> {
                    slots.acquire();
                    try {
                        return compare(s, t);
                    } finally {
                        slots.release();
                    }
                }));
            }
            tasks.join().throwIfFailed();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RunFailed("checksum verification failed: " + e.getCause(), e.getCause());
        }
        List<Mismatch> mismatches = results.stream().map(TaskScope.Subtask::get).filter(m -> m != null).toList();
        VerificationResult result = VerificationResult.of("cutover verification failed for", mismatches);
        LOG.info("checksum verification: {}", result.dataCorrect() ? "every table matches" : result.message());
        return result;
    }

    private static Mismatch compare(VerificationScope s, VerifiedTable t) throws Exception {
        String[] sums = new String[2];
        try (var both = new TaskScope("ferry-checksum-" + t.id())) {
            both.fork(() -> {
                sums[0] = checksum(s.source(), t.id(), "source");
            });
            both.fork(() -> {
                sums[1] = checksum(s.target(), t.target(), "target");
            });
            both.join().throwIfFailed();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (sums[0] == null) {
            throw new RunFailed("CHECKSUM TABLE " + t.id() + " on the source found no such table; it was renamed or"
                    + " dropped without the change being replicated (ReplicateSchemaChanges)");
        }
        if (sums[1] == null) {
            return new Mismatch(t.id(), "", Mismatch.Kind.TABLE_MISSING_ON_TARGET, sums[0], "", List.of());
        }
        return sums[0].equals(sums[1]) ? null
                : new Mismatch(t.id(), "", Mismatch.Kind.TABLE_CHECKSUM_DIFFERENCE, sums[0], sums[1], List.of());
    }

    /** The table's checksum, or {@code null} when it does not exist (the server answers NULL). */
    private static String checksum(DataSource ds, TableId table, String side) {
        // It reads the whole table before it answers: no read timeout.
        try (Connection c = ds.getConnection(); var untimed = DataSources.untimed(c); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("CHECKSUM TABLE " + table.sql() + " EXTENDED")) {
            return rs.next() ? rs.getString(2) : null;
        } catch (SQLException e) {
            throw new RunFailed("CHECKSUM TABLE " + table + " on the " + side + " failed: " + SqlErrors.describe(e), e);
        }
    }

    @Override
    public void startInBackground() {
        prepared();
        tracker.startInBackground("ferry-checksum-verifier", this::verifyNow);
    }

    @Override
    public void awaitBackground() throws InterruptedException {
        tracker.await();
    }

    @Override
    public VerifierStatus status() {
        return tracker.status(scope != null);
    }

    private VerificationScope prepared() {
        VerificationScope s = scope;
        if (s == null) {
            throw new IllegalStateException("the verifier is not prepared yet; the run prepares it once its tables are known");
        }
        return s;
    }
}
