package io.ferry.copy.internal.cutover;

import io.ferry.core.CutoverFailed;
import io.ferry.core.DataMismatch;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.db.Backoff;
import io.ferry.core.db.RetryPolicy;
import io.ferry.core.db.ServerFlavor;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.RowFilter;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.state.RunState;
import io.ferry.core.state.StateCodec;
import io.ferry.core.verify.ReverifyState;
import io.ferry.core.verify.VerificationResult;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerifiedTable;
import io.ferry.core.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's side of verification: prepares the configured {@link Verifier} with the run's tables and keys, runs
 * its pre-cutover work, and its final comparison once the binlog is fully applied; a difference ends the run with
 * {@link DataMismatch} before the cutover completes. Does nothing without a verifier.
 */
public final class CutoverVerification {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverVerification.class);
    private final Verifier verifier;
    private final RetryPolicy retries;

    private CutoverVerification(Verifier verifier, int retries) {
        this.verifier = verifier;
        // The verifier may report a lost connection unchecked; the waits are those of a lost connection.
        this.retries = RetryPolicy.of(retries).retrying(SqlErrors::isRetriable)
                .waiting((retry, e) -> Backoff.afterFailure(retry));
    }

    /**
     * The verifier's part in a run: bound to the run's tables (each with the key the copy paginates by) and
     * connections, with the reverify store a resumed state saved given back to it.
     *
     * @param verifier the run's verifier, or {@code null}
     * @param retries  retries ({@link RetryPolicy}) of the cutover comparison after a transient failure (a lost
     *                 connection)
     * @param resumed  the state the run resumes from, or {@code null}
     * @param rows     the rows of each table the run moves; the verifier compares only those
     */
    public static CutoverVerification prepare(Verifier verifier, int retries, DataSource source, DataSource target,
                                              ServerFlavor sourceFlavor, ServerFlavor targetFlavor,
                                              List<TableId> order, Map<TableId, TableSchema> schemas,
                                              Map<TableId, List<ColumnSchema>> keys, CopydbConfig config,
                                              RunState resumed, RowFilter rows) {
        var verification = new CutoverVerification(verifier, retries);
        verification.bind(source, target, sourceFlavor, targetFlavor, order, schemas, keys, config, rows);
        verification.restore(resumed);
        return verification;
    }

    private void bind(DataSource source, DataSource target, ServerFlavor sourceFlavor, ServerFlavor targetFlavor,
                      List<TableId> order, Map<TableId, TableSchema> schemas, Map<TableId, List<ColumnSchema>> keys,
                      CopydbConfig config, RowFilter rows) {
        if (verifier == null) {
            return;
        }
        List<VerifiedTable> tables = new ArrayList<>();
        for (TableId t : order) {
            tables.add(new VerifiedTable(schemas.get(t), config.targetOf(t), keys.get(t)));
        }
        try {
            verifier.prepare(new VerificationScope(source, target, sourceFlavor, targetFlavor, tables, rows));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RunFailed("preparing the verifier failed: " + e.getMessage(), e);
        }
    }

    /** The verifier's reverify store, saved with the run's state; {@link ReverifyState#NONE} without one. */
    public ReverifyState reverifyState() {
        return verifier == null ? ReverifyState.NONE : verifier.reverifyState();
    }

    /**
     * Gives the verifier back the reverify store {@code resumed} saved (rows changed before the interruption that
     * still had to be verified again); nothing for a fresh run.
     */
    private void restore(RunState resumed) {
        ReverifyState store = reverifyState();
        if (resumed == null || resumed.verifyStore() == null || store == ReverifyState.NONE) {
            return;
        }
        Map<String, List<String>> keys = StateCodec.reverifyStoreFromJson(resumed.verifyStore());
        store.restore(keys);
        LOG.info("verification: {} row(s) of the interrupted run are verified again",
                keys.values().stream().mapToInt(List::size).sum());
    }

    /** Tells the verifier of the tables copied under the cutover lock, which it compares whole. */
    public void copiedAtCutover(Set<TableId> tables) {
        if (verifier != null && !tables.isEmpty()) {
            verifier.tablesCopiedAtCutover(tables);
        }
    }

    /** The verifier's work while the source is still written. */
    public void beforeCutover() throws InterruptedException {
        if (verifier == null) {
            return;
        }
        LOG.info("verifying before cutover");
        try {
            verifier.verifyBeforeCutover();
        } catch (RuntimeException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new RunFailed("verification before cutover failed: " + e.getMessage(), e);
        }
    }

    /**
     * The final comparison, with the binlog fully applied; throws {@link DataMismatch} listing every difference.
     * Returns what was checked, in words, for the run's closing line.
     */
    public String duringCutover() throws InterruptedException {
        if (verifier == null) {
            return "NOT verified: the run had no verifier (VerifierType NoVerification), so nothing compared the source"
                    + " and the target; run `ferry verify` with the same config to compare them";
        }
        LOG.info("verifying during cutover");
        verifier.awaitBackground(); // an operator's /api/verify may still be running
        // The comparison only reads, and keeps the rows it has still to compare: running it again is safe.
        var budget = retries.budget((retry, e, wait) -> LOG.warn("verification during cutover failed ({}); retry {} of"
                + " {} in {} ms", e.getMessage(), retry, retries.retries(), wait.toMillis()));
        VerificationResult result;
        try {
            result = RetryPolicy.run(verifier::verifyDuringCutover, budget);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            int tries = budget.tries();
            throw new CutoverFailed("verification during cutover failed" + (tries > 1 ? " after " + tries
                    + " tries" : "") + ": " + e.getMessage() + "; the binlog is applied up to the cutover"
                    + " position and CutoverUnlock was not called, so the application is still held if"
                    + " CutoverLock holds it. Compare the two sides with `ferry verify CONFIG`: with no"
                    + " difference, release the application yourself (the CutoverUnlock call); otherwise copy"
                    + " again", e);
        }
        if (!result.dataCorrect()) {
            throw new DataMismatch(result.message().strip() + "; the cutover was not completed (CutoverUnlock was not "
                    + "called): investigate the differences, then copy again or fix the rows");
        }
        LOG.info("verification: the target matches the source");
        return "verified at cutover by the " + verifier.name() + " verifier: no difference";
    }

    /** True when the run has a verifier. */
    public boolean enabled() {
        return verifier != null;
    }
}
