package io.ferry.verify;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.concurrent.TaskScope;
import io.ferry.core.config.VerificationConfig;
import io.ferry.core.filter.CopyTiming;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.verify.Mismatch;
import io.ferry.core.verify.TableChange;
import io.ferry.core.verify.VerificationScope;
import io.ferry.core.verify.VerifiedTable;
import io.ferry.verify.internal.KeyText;
import io.ferry.verify.internal.TableComparer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison machinery the Iterative and Inline verifiers share: one {@link TableComparer} per verified table,
 * the {@link ReverifyStore}, and passes over the store. A pass compares every waiting key once; keys that match
 * leave the store unless changed again meanwhile, keys that differ stay.
 *
 * <p>Schema changes ({@link #schemaChanged}) replace a table's comparer with one for its new shape and name; its
 * waiting keys move with it (or are dropped when its key changed) and the table is marked to be scanned whole again,
 * since the change itself (an added column's default, a changed type) was applied by each server on its own.
 * Comparisons before the cutover may race a schema change (the source is ahead of the target), so they can be run
 * {@code tolerant}: a table whose comparison fails is left for later (its keys stay, a failed scan is marked again);
 * at cutover every failure counts.
 */
final class Reverifier {
    private static final Logger LOG = LoggerFactory.getLogger(Reverifier.class);
    static final int SCAN_BATCH = 1000;
    private final VerificationScope scope;
    private final VerificationConfig config;
    private final ReverifyStore store;
    private final int concurrency;
    private final ReentrantLock changes = new ReentrantLock();
    /** Replaced whole on a schema change; in the run's table order. */
    private volatile Map<TableId, TableComparer> comparers;
    /** Keyed tables to scan whole again (their schema changed). */
    private final Set<TableId> unscanned = ConcurrentHashMap.newKeySet();
    /**
     * Tables a selective copy copies under the cutover lock ({@link CopyTiming}): before it they differ by design, so
     * only the cutover scans them (the run marks them with {@link #rescan}).
     */
    private final Set<TableId> copiedAtCutover;

    Reverifier(VerificationScope scope, VerificationConfig config, ReverifyStore store, int concurrency) {
        Map<TableId, TableComparer> m = new LinkedHashMap<>();
        for (VerifiedTable t : scope.tables()) {
            if (config.verifies(t.id())) {
                m.put(t.id(), TableComparer.create(scope, t, config, SCAN_BATCH));
            }
        }
        this.scope = scope;
        this.config = config;
        this.comparers = m;
        this.copiedAtCutover = scope.tables().stream()
                .filter(t -> scope.rows().timing(t.source()) != CopyTiming.STREAMED)
                .map(VerifiedTable::id).collect(Collectors.toUnmodifiableSet());
        this.store = store;
        this.concurrency = Math.max(1, concurrency);
    }

    TableComparer comparer(TableId table) {
        return comparers.get(table);
    }

    /** Marks {@code tables} to be scanned whole again: their rows changed where the binlog does not tell. */
    void rescan(Set<TableId> tables) {
        tables.stream().filter(comparers::containsKey).forEach(unscanned::add);
    }

    /** Adds the keys of {@code images} (rows of source table {@code table} in {@code schema}'s column order). */
    void addChanged(TableId table, TableSchema schema, List<Row> images) {
        TableComparer c = comparers.get(table);
        if (c == null || c.keyless()) {
            return; // a table without a key is compared whole at cutover
        }
        int[] indexes = new int[c.keyColumns().size()];
        for (int i = 0; i < indexes.length; i++) {
            String name = c.keyColumns().get(i).name();
            ColumnSchema col = schema.column(name).orElse(null);
            if (col == null) {
                return; // decoded under another shape than the comparer's; the rescan after the change covers it
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

    /**
     * Follows a schema change: altered and renamed tables get a comparer for their new shape (keeping their key
     * when its columns remain, else the primary key or first usable unique key, else none) and are marked for a
     * whole scan; dropped tables leave; tables created by the change are verified from now on when the
     * configuration verifies them.
     */
    void schemaChanged(List<TableChange> changed) {
        changes.lock();
        try {
            Map<TableId, TableChange> byWas = new HashMap<>();
            changed.forEach(c -> byWas.put(c.was(), c));
            Map<TableId, Map<String, Long>> moving = new HashMap<>();
            Map<TableId, TableComparer> next = new LinkedHashMap<>();
            for (var e : comparers.entrySet()) {
                TableChange change = byWas.remove(e.getKey());
                if (change == null) {
                    next.putIfAbsent(e.getKey(), e.getValue());
                    continue;
                }
                unscanned.remove(e.getKey());
                switch (change) {
                    case TableChange.Dropped d -> {
                        store.removeTable(d.was());
                        LOG.info("verification: {} was dropped; it is no longer compared", d.was());
                    }
                    case TableChange.Altered a -> {
                        List<ColumnSchema> key = keyAfter(e.getValue().keyColumns(), a.schema());
                        next.put(a.now(), create(a, key, "follows a schema change"));
                        boolean sameKey = !key.isEmpty() && names(key).equals(names(e.getValue().keyColumns()));
                        if (!sameKey || !a.now().equals(a.was())) {
                            // Waiting keys move with a renamed table; under another key they mean nothing.
                            Map<String, Long> keys = store.removeTable(a.was());
                            if (sameKey) {
                                moving.put(a.now(), keys);
                            }
                        }
                    }
                }
            }
            for (TableChange change : byWas.values()) {
                if (change instanceof TableChange.Altered a && !next.containsKey(a.now()) && config.verifies(a.now())) {
                    next.put(a.now(), create(a, keyAfter(List.of(), a.schema()), "was created during the run"));
                }
            }
            moving.forEach(store::addAll);
            for (TableChange change : changed) {
                if (change instanceof TableChange.Altered a && next.containsKey(a.now())) {
                    unscanned.add(a.now());
                }
            }
            comparers = next;
        } finally {
            changes.unlock();
        }
    }

    private TableComparer create(TableChange.Altered a, List<ColumnSchema> key, String why) {
        TableComparer c = TableComparer.create(scope, new VerifiedTable(a.schema(), a.target(), key), config, SCAN_BATCH);
        LOG.info("verification: {} {}; compared from now on {}", a.now(), why, key.isEmpty()
                ? "by counting row fingerprints (no usable key)" : "by (" + String.join(", ", names(key)) + ")");
        return c;
    }

    /** The key columns in {@code schema}: the old key when all its columns remain, else the table's own key. */
    private static List<ColumnSchema> keyAfter(List<ColumnSchema> old, TableSchema schema) {
        List<ColumnSchema> same = new ArrayList<>();
        for (ColumnSchema k : old) {
            schema.column(k.name()).ifPresent(same::add);
        }
        if (!old.isEmpty() && same.size() == old.size()) {
            return same;
        }
        List<ColumnSchema> own = StandaloneVerification.matchingKey(schema);
        return own == null ? List.of() : own;
    }

    private static List<String> names(List<ColumnSchema> columns) {
        return columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * Compares every keyed table whole (or only those marked since their schema changed); differences are
     * returned and their keys added to the store.
     */
    List<TableComparer.Difference> scanKeyed(boolean all, boolean tolerant) throws InterruptedException {
        Map<TableId, TableComparer> now = comparers;
        List<TableId> tables = now.entrySet().stream()
                .filter(e -> !e.getValue().keyless() && (all || unscanned.contains(e.getKey())))
                .filter(e -> !tolerant || !copiedAtCutover.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
        List<TableComparer.Difference> out = forEachTable(now, tables, tolerant, c -> {
            unscanned.remove(c.table()); // before the scan, so a change during it marks the table again
            try {
                return c.scan();
            } catch (RuntimeException e) {
                unscanned.add(c.table());
                throw e;
            }
        });
        remember(out);
        return out;
    }

    /** Compares every table without a key, by counting row fingerprints; meaningful only with writes stopped. */
    List<TableComparer.Difference> scanKeyless() throws InterruptedException {
        Map<TableId, TableComparer> now = comparers;
        List<TableId> tables = now.entrySet().stream().filter(e -> e.getValue().keyless()).map(Map.Entry::getKey).toList();
        return forEachTable(now, tables, false, TableComparer::scan);
    }

    /** One pass over the store; returns the differences found. */
    List<TableComparer.Difference> pass(boolean tolerant) throws InterruptedException {
        Map<TableId, TableComparer> now = comparers;
        Map<TableId, Map<String, Long>> pending = store.pending();
        // In the run's table order, so results read the same every time.
        List<TableId> tables = now.keySet().stream().filter(pending::containsKey).toList();
        return forEachTable(now, tables, tolerant, c -> {
            Map<String, Long> keys = pending.get(c.table());
            List<TableComparer.Difference> diffs = c.compare(new ArrayList<>(keys.keySet()));
            var differing = new HashSet<String>();
            diffs.forEach(d -> differing.add(d.key()));
            keys.forEach((k, version) -> {
                if (!differing.contains(k)) {
                    store.removeVerified(c.table(), k, version);
                }
            });
            return diffs;
        });
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

    private List<TableComparer.Difference> forEachTable(Map<TableId, TableComparer> now, List<TableId> tables,
                                                        boolean tolerant, TableWork work) throws InterruptedException {
        var slots = new Semaphore(concurrency);
        Map<TableId, List<TableComparer.Difference>> results = new ConcurrentHashMap<>();
        try (var tasks = new TaskScope("ferry-verify")) {
            for (TableId t : tables) {
                TableComparer c = now.get(t);
                tasks.fork(() -> {
                    slots.acquire();
                    try {
                        results.put(t, work.run(c));
                    } catch (RunFailed e) {
                        if (!tolerant) {
                            throw e;
                        }
                        LOG.warn("verification: comparing {} failed before the cutover; compared again later: {}", t,
                                e.getMessage());
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
            tasks.join().throwIfFailed();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RunFailed("verification failed: " + e.getCause(), e.getCause());
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
