package io.ferry.verify;

import io.ferry.core.RunFailed;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.verify.ChangedRows;
import io.ferry.core.verify.TableChange;
import io.ferry.core.verify.VerificationResult;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.Verifier;
import io.ferry.verify.internal.TableComparer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ghostferry's Iterative verifier, for every key shape: once the copy is done, {@link #verifyBeforeCutover} compares
 * every table on both sides by row fingerprints in key ranges while the source is still written; rows that differ
 * and rows the binlog changes (from the start of the run) go into a {@link ReverifyStore}, which is compared again
 * until it holds at most {@value #SMALL_ENOUGH} keys or stops shrinking (at most {@value #MAX_PASSES} passes).
 * {@link #verifyDuringCutover} then compares what is left, with writes stopped. Without a prior scan (a standalone
 * {@code ferry verify}, or {@code /api/verify} during the copy) it compares every table whole instead.
 *
 * <p>Tables without a key are compared at cutover only, as multisets of row fingerprints. After a schema change
 * ({@link #schemaChanged}) a table is compared under its new shape and name, and scanned whole again: before the
 * cutover when the change came in time, else during it.
 */
public final class IterativeVerifier implements Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(IterativeVerifier.class);
    static final int SMALL_ENOUGH = 1000;
    static final int MAX_PASSES = 30;

    private final VerificationConfig config;
    private final ReverifyStore store = new ReverifyStore();
    private final io.ferry.core.verify.VerificationTracker tracker = new io.ferry.core.verify.VerificationTracker();
    private volatile Reverifier reverifier;
    private volatile boolean scanned;

    public IterativeVerifier(VerificationConfig config) {
        this.config = config;
    }

    @Override
    public void prepare(VerificationScope scope) {
        reverifier = new Reverifier(scope, config, store, config.iterative().concurrency());
    }

    @Override
    public ChangedRows changedRows() {
        return (table, schema, images) -> {
            Reverifier r = reverifier;
            if (r != null) {
                r.addChanged(table, schema, images);
            }
        };
    }

    @Override
    public void schemaChanged(List<TableChange> changes) {
        Reverifier r = reverifier;
        if (r != null) {
            r.schemaChanged(changes);
        }
    }

    @Override
    public void verifyBeforeCutover() throws InterruptedException {
        Reverifier r = prepared();
        long started = System.nanoTime();
        // The source is still written, and may be ahead of the target by a schema change: a table that cannot be
        // compared now is compared at cutover.
        List<TableComparer.Difference> first = r.scanKeyed(true, true);
        scanned = true;
        LOG.info("iterative verification: scanned every table in {} ms; {} row(s) to verify again",
                (System.nanoTime() - started) / 1_000_000, store.size());
        double secondsPerKey = 0;
        int before = Integer.MAX_VALUE;
        for (int pass = 1; pass <= MAX_PASSES && store.size() > 0; pass++) {
            int size = store.size();
            if (size <= SMALL_ENOUGH && pass > 1 || size >= before) {
                break;
            }
            long t0 = System.nanoTime();
            r.pass(true);
            secondsPerKey = (System.nanoTime() - t0) / 1e9 / Math.max(1, size);
            LOG.info("iterative verification: pass {} checked {} row(s); {} left", pass, size, store.size());
            before = size;
        }
        checkDowntime(secondsPerKey, first.size());
    }

    private void checkDowntime(double secondsPerKey, int firstDifferences) {
        Duration max = config.iterative().maxExpectedDowntime();
        if (max == null) {
            return;
        }
        double estimate = secondsPerKey * store.size();
        if (estimate > max.toMillis() / 1000.0) {
            throw new RunFailed("the cutover verification would take about " + Math.round(estimate) + " s for "
                    + store.size() + " row(s), more than IterativeVerifierConfig.MaxExpectedDowntime ("
                    + max.toSeconds() + " s; " + firstDifferences + " row(s) differed at the first scan); reduce the "
                    + "write load before the cutover or raise MaxExpectedDowntime");
        }
    }

    @Override
    public VerificationResult verifyDuringCutover() throws Exception {
        return tracker.run(this::verifyNow);
    }

    private VerificationResult verifyNow() throws InterruptedException {
        Reverifier r = prepared();
        List<TableComparer.Difference> diffs = new ArrayList<>();
        // Row differences of a scan go into the store and are compared below with the changed rows; a missing table
        // is reported as is. Without a prior scan every table is scanned, else those whose schema changed since.
        r.scanKeyed(!scanned, false).stream().filter(d -> d.key().isEmpty()).forEach(diffs::add);
        diffs.addAll(r.scanKeyless());
        diffs.addAll(r.pass(false));
        VerificationResult result = VerificationResult.of("cutover verification failed for", Reverifier.mismatches(diffs));
        LOG.info("iterative verification: {}", result.dataCorrect() ? "source and target match" : result.message());
        return result;
    }

    @Override
    public void startInBackground() {
        prepared();
        tracker.startInBackground("ferry-iterative-verifier", this::verifyNow);
    }

    @Override
    public void awaitBackground() throws InterruptedException {
        tracker.await();
    }

    @Override
    public VerifierStatus status() {
        return tracker.status(reverifier != null);
    }

    /** The rows waiting to be verified again. */
    public ReverifyStore store() {
        return store;
    }

    @Override
    public io.ferry.core.verify.ReverifyState reverifyState() {
        return store;
    }

    private Reverifier prepared() {
        Reverifier r = reverifier;
        if (r == null) {
            throw new IllegalStateException("the verifier is not prepared yet; the run prepares it once its tables are known");
        }
        return r;
    }
}
