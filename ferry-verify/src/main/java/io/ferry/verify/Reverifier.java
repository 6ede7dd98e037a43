package io.ferry.verify;

import io.ferry.core.TableId;
import io.ferry.core.concurrent.TaskScope;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.verify.Mismatch;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerifiedTable;
import io.ferry.verify.internal.KeyText;
import io.ferry.verify.internal.TableComparer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The comparison machinery the Iterative and Inline verifiers share: one {@link TableComparer} per verified table,
 * the {@link ReverifyStore}, and passes over the store. A pass compares every waiting key once; keys that match
 * leave the store unless changed again meanwhile, keys that differ stay.
 */
final class Reverifier {
    static final int SCAN_BATCH = 1000;
    private final Map<TableId, TableComparer> comparers;
    private final ReverifyStore store;
    private final int concurrency;

    Reverifier(VerificationScope scope, VerificationConfig config, ReverifyStore store, int concurrency) {
        Map<TableId, TableComparer> m = new LinkedHashMap<>();
        for (VerifiedTable t : scope.tables()) {
            if (config.verifies(t.id())) {
                m.put(t.id(), TableComparer.create(scope, t, config, SCAN_BATCH));
            }
        }
        this.comparers = m;
        this.store = store;
        this.concurrency = Math.max(1, concurrency);
    }

    TableComparer comparer(TableId table) {
        return comparers.get(table);
    }

    /** Adds the keys of {@code images} (rows of source table {@code table} in {@code schema}'s column order). */
    void addChanged(TableId table, TableSchema schema, List<Row> images) {
        TableComparer c = comparers.get(table);
        if (c == null) {
            return;
        }
        int[] indexes = new int[c.keyColumns().size()];
        for (int i = 0; i < indexes.length; i++) {
            String name = c.keyColumns().get(i).name();
            ColumnSchema col = schema.column(name).orElse(null);
            if (col == null) {
                return; // the key column is gone (a schema change); the cutover comparison cannot miss it
            }
            indexes[i] = schema.columns().indexOf(col);
        }
        for (Row r : images) {
            List<byte[]> key = new ArrayList<>(indexes.length);
            for (int i : indexes) {
                key.add(r.get(i));
            }
            store.add(table, KeyText.encode(key));
        }
    }

    /** Compares every table whole; differences are returned and their keys added to the store. */
    List<TableComparer.Difference> scanAll() throws InterruptedException {
        List<TableComparer.Difference> out = forEachTable(new ArrayList<>(comparers.keySet()), TableComparer::scan);
        remember(out);
        return out;
    }

    /** One pass over the store; returns the differences found. */
    List<TableComparer.Difference> pass() throws InterruptedException {
        Map<TableId, Map<String, Long>> pending = store.pending();
        // In the run's table order, so results read the same every time.
        List<TableId> tables = comparers.keySet().stream().filter(pending::containsKey).toList();
        List<TableComparer.Difference> out = forEachTable(tables, c -> {
            Map<String, Long> keys = pending.get(c.table());
            List<TableComparer.Difference> diffs = c.compare(new ArrayList<>(keys.keySet()));
            var differing = new java.util.HashSet<String>();
            diffs.forEach(d -> differing.add(d.key()));
            keys.forEach((k, version) -> {
                if (!differing.contains(k)) {
                    store.removeVerified(c.table(), k, version);
                }
            });
            return diffs;
        });
        return out;
    }

    private void remember(List<TableComparer.Difference> diffs) {
        for (var d : diffs) {
            if (!d.key().isEmpty()) {
                store.add(d.mismatch().table(), d.key());
            }
        }
    }

    private interface TableWork {
        List<TableComparer.Difference> run(TableComparer c);
    }

    private List<TableComparer.Difference> forEachTable(List<TableId> tables, TableWork work) throws InterruptedException {
        var slots = new Semaphore(concurrency);
        Map<TableId, List<TableComparer.Difference>> results = new java.util.concurrent.ConcurrentHashMap<>();
        try (var scope = new TaskScope("ferry-verify")) {
            for (TableId t : tables) {
                TableComparer c = comparers.get(t);
                if (c == null) {
                    continue;
                }
                scope.fork(() -> {
                    slots.acquire();
                    try {
                        results.put(t, work.run(c));
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
            scope.join().throwIfFailed();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new io.ferry.core.RunFailed("verification failed: " + e.getCause(), e.getCause());
        }
        List<TableComparer.Difference> out = new ArrayList<>();
        for (TableId t : tables) {
            out.addAll(results.getOrDefault(t, List.of()));
        }
        return out;
    }

    static List<Mismatch> mismatches(List<TableComparer.Difference> diffs) {
        return diffs.stream().map(TableComparer.Difference::mismatch).toList();
    }
}
