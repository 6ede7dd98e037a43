package io.ferry.verify;

import io.ferry.core.TableId;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.control.VerifierStatus;
import io.ferry.core.verify.ChangedRows;
import io.ferry.core.verify.ReverifyState;
import io.ferry.core.verify.TableChange;
import io.ferry.core.verify.VerificationResult;
import io.ferry.core.verify.VerificationTracker;
import io.ferry.core.verify.Verifier;
import io.ferry.verify.internal.TableComparer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Iterative and Inline verifiers share: a {@link ReverifyStore} of rows to compare again (fed by the binlog,
 * saved with the run's state), a {@link Reverifier} that compares them, and the cutover comparison of what is left.
 */
abstract sealed class ReverifyingVerifier implements Verifier permits IterativeVerifier, InlineVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(ReverifyingVerifier.class);

    final VerificationConfig config;
    final ReverifyStore store = new ReverifyStore();
    final VerificationTracker tracker = new VerificationTracker();
    volatile Reverifier reverifier;

    ReverifyingVerifier(VerificationConfig config) {
        this.config = config;
    }

    /** The verifier's name in log lines and thread names: "Iterative", "Inline". */
    @Override
    public abstract String name();

    /** Whether the cutover comparison scans every keyed table whole (no scan before it) or only changed ones. */
    abstract boolean scanAllAtCutover();

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
    public void tablesCopiedAtCutover(Set<TableId> tables) {
        prepared().rescan(tables);
    }

    @Override
    public VerificationResult verifyDuringCutover() throws Exception {
        return tracker.run(this::verifyNow);
    }

    private VerificationResult verifyNow() throws InterruptedException {
        Reverifier r = prepared();
        List<TableComparer.Difference> diffs = new ArrayList<>();
        // Row differences of a scan go into the store and are compared below with the changed rows; a missing table
        // is reported as is.
        r.scanKeyed(scanAllAtCutover(), false).stream().filter(d -> d.key().isEmpty()).forEach(diffs::add);
        diffs.addAll(r.scanKeyless());
        diffs.addAll(r.pass(false));
        VerificationResult result = VerificationResult.of("cutover verification failed for",
                Reverifier.mismatches(diffs));
        LOG.info("{} verification: {}", name(), result.dataCorrect() ? "source and target match" : result.message());
        return result;
    }

    @Override
    public void startInBackground() {
        prepared();
        tracker.startInBackground("ferry-" + name().toLowerCase(Locale.ROOT) + "-verifier", this::verifyNow);
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
    public ReverifyState reverifyState() {
        return store;
    }

    Reverifier prepared() {
        Reverifier r = reverifier;
        if (r == null) {
            throw new IllegalStateException("the verifier is not prepared yet; the run prepares it once its tables are known");
        }
        return r;
    }
}
