package io.ferry.verify;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.keyset.KeyValues;
import io.ferry.core.schema.Row;
import io.ferry.core.keyset.KeyRange;
import io.ferry.core.verify.CopiedBatch;
import io.ferry.core.verify.CopyCheck;
import io.ferry.core.verify.VerificationScope;
import io.ferry.verify.internal.TableComparer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ghostferry's Inline verifier, for every key shape. The copy {@link CopyCheck#check checks} each batch it read
 * (under the copy lock) against the target inside the transaction that wrote it: value by value where both sides
 * are the same engine and the table's columns match ({@link TableComparer#checksValues}), else by fingerprints the
 * source computes as it reads the batch. Rows that differ there (a row may legitimately be newer on the target)
 * and every key the binlog touches (the old and the new key of a key-changing update) go into a
 * {@link ReverifyStore}, compared again every {@code VerifyBinlogEventsInterval}, in passes before the cutover
 * until few remain, and a last time during the cutover, whose differences are the result. The store is part of what
 * a resumed run needs: {@link ReverifyStore#snapshot()} / {@link ReverifyStore#restore}.
 *
 * <p>Tables without a key (copied whole, never checked batch by batch) are compared at cutover as multisets of row
 * fingerprints. After a schema change ({@link #schemaChanged}) the copy's fingerprints and the comparisons follow
 * the table's new shape and name, and the table is scanned whole once (before the cutover when the change came in
 * time, else during it), since the copy checked its rows under the old shape.
 */
public final class InlineVerifier extends ReverifyingVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(InlineVerifier.class);
    private volatile Thread periodic;
    private volatile boolean stopPeriodic;

    public InlineVerifier(VerificationConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return "Inline";
    }

    /** The copy checked every keyed row as it wrote it; only tables whose schema changed are scanned again. */
    @Override
    boolean scanAllAtCutover() {
        return false;
    }

    @Override
    public void prepare(VerificationScope scope) {
        reverifier = new Reverifier(scope, config, store, VerificationConfig.Iterative.DEFAULT_CONCURRENCY);
        Duration interval = config.inline().verifyBinlogEventsInterval();
        periodic = Thread.ofVirtual().name("ferry-inline-reverify").start(() -> reverifyPeriodically(interval));
    }

    private void reverifyPeriodically(Duration interval) {
        try {
            while (!stopPeriodic) {
                Thread.sleep(interval);
                if (!stopPeriodic && store.size() > 0) {
                    reverifier.pass(true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The keys stay in the store; the cutover pass compares them.
            LOG.warn("inline verification: periodic re-verification stopped: {}", e.getMessage());
        }
    }

    /** Stops the periodic re-verification (the run's cutover does this; so does a failed run). */
    public void stopPeriodic() throws InterruptedException {
        stopPeriodic = true;
        Thread t = periodic;
        if (t != null) {
            t.interrupt();
            t.join();
        }
    }

    @Override
    public CopyCheck copyCheck() {
        return new CopyCheck() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public String fingerprintExpression(TableId table) {
                TableComparer c = prepared().comparer(table);
                return c == null || c.keyless() || c.checksValues() ? "''" : c.sourceFingerprintExpression();
            }

            @Override
            public void check(Connection target, TableId table, CopiedBatch batch) throws SQLException {
                List<Row> rows = batch.rows();
                List<String> fingerprints = batch.fingerprints();
                TableComparer c = prepared().comparer(table);
                if (c == null || c.keyless()) {
                    return;
                }
                var range = new KeyRange(batch.after(), batch.last(), batch.descending());
                if (c.checksValues()) {
                    queue(table, c.checkValuesAgainstTarget(target, rows, range));
                    return;
                }
                int[] keyIndexes = c.keyIndexes();
                int[] compressedIndexes = c.compressedIndexes();
                List<List<byte[]>> keys = new ArrayList<>(rows.size());
                List<byte[][]> compressed = new ArrayList<>(rows.size());
                List<String> finished = new ArrayList<>(rows.size());
                for (int n = 0; n < rows.size(); n++) {
                    Row r = rows.get(n);
                    finished.add(c.sourceFingerprint(fingerprints.get(n), r));
                    keys.add(KeyValues.of(r, keyIndexes));
                    byte[][] raw = new byte[compressedIndexes.length][];
                    for (int i = 0; i < raw.length; i++) {
                        raw[i] = r.get(compressedIndexes[i]);
                    }
                    compressed.add(raw);
                }
                queue(table, c.checkAgainstTarget(target, keys, finished, compressed, range));
            }

            private void queue(TableId table, List<TableComparer.Difference> differences) {
                for (var d : differences) {
                    LOG.debug("inline verification: {} differs after copy, verified again later: {}", table,
                            d.mismatch().describe());
                    store.add(table, d.key());
                }
            }
        };
    }

    @Override
    public void verifyBeforeCutover() throws InterruptedException {
        stopPeriodic();
        Reverifier r = prepared();
        r.scanKeyed(false, true); // tables whose schema changed; their differences join the store
        double secondsPerKey = 0;
        int before = Integer.MAX_VALUE;
        for (int pass = 1; pass <= IterativeVerifier.MAX_PASSES; pass++) {
            int size = store.size();
            if (size == 0 || (size <= IterativeVerifier.SMALL_ENOUGH && pass > 1) || size >= before) {
                break;
            }
            long t0 = System.nanoTime();
            r.pass(true);
            secondsPerKey = (System.nanoTime() - t0) / 1e9 / size;
            before = size;
        }
        Duration max = config.inline().maxExpectedDowntime();
        double estimate = secondsPerKey * store.size();
        if (max != null && estimate > max.toMillis() / 1000.0) {
            throw new RunFailed("the cutover verification would take about " + Math.round(estimate) + " s for "
                    + store.size() + " row(s), more than InlineVerifierConfig.MaxExpectedDowntime (" + max.toSeconds()
                    + " s); reduce the write load before the cutover or raise MaxExpectedDowntime");
        }
    }
}
