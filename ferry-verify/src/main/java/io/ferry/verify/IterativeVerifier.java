package io.ferry.verify;

import io.ferry.core.RunFailed;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.verify.VerificationScope;
import io.ferry.verify.internal.TableComparer;
import java.time.Duration;
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
public final class IterativeVerifier extends ReverifyingVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(IterativeVerifier.class);
    static final int SMALL_ENOUGH = 1000;
    static final int MAX_PASSES = 30;

    private volatile boolean scanned;

    public IterativeVerifier(VerificationConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return "Iterative";
    }

    /** Without a prior scan (a standalone comparison, or one during the copy) every table is scanned at cutover. */
    @Override
    boolean scanAllAtCutover() {
        return !scanned;
    }

    @Override
    public void prepare(VerificationScope scope) {
        reverifier = new Reverifier(scope, config, store, config.iterative().concurrency());
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
}
