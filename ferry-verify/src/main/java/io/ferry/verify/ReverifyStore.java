package io.ferry.verify;

import io.ferry.core.TableId;
import io.ferry.core.verify.ReverifyState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys of rows to verify again, per source table: rows the binlog changed and rows that differed when last
 * compared. Thread-safe. Each addition gets a new version, and a key leaves the store only if it was not added again
 * while it was being verified ({@link #removeVerified}), so a change racing a verification is never lost.
 *
 * <p>Keys are held in a text form that is exact for every key shape (each column's bytes in hex, comma-separated),
 * which is also how {@link #snapshot} exports them for the resume state.
 */
public final class ReverifyStore implements ReverifyState {
    private final ConcurrentMap<TableId, ConcurrentMap<String, Long>> keys = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    /** Adds the key (text form) of a row of source table {@code table}. */
    public void add(TableId table, String key) {
        keys.computeIfAbsent(table, t -> new ConcurrentHashMap<>()).put(key, versions.incrementAndGet());
    }

    /** How many keys are waiting. */
    public int size() {
        int n = 0;
        for (var m : keys.values()) {
            n += m.size();
        }
        return n;
    }

    /** A copy of what is waiting now: per table, key to version. */
    Map<TableId, Map<String, Long>> pending() {
        Map<TableId, Map<String, Long>> out = new LinkedHashMap<>();
        keys.forEach((t, m) -> {
            if (!m.isEmpty()) {
                out.put(t, new LinkedHashMap<>(m));
            }
        });
        return out;
    }

    /** Removes {@code key} of {@code table} if it is still at {@code version} (not added again since). */
    void removeVerified(TableId table, String key, long version) {
        var m = keys.get(table);
        if (m != null) {
            m.remove(key, version);
        }
    }

    /** Removes and returns every waiting key of {@code table} (a schema change moves or drops them). */
    Map<String, Long> removeTable(TableId table) {
        Map<String, Long> m = keys.remove(table);
        return m == null ? Map.of() : m;
    }

    /** Adds {@code waiting} keys (from {@link #removeTable}) under {@code table}, as new additions. */
    void addAll(TableId table, Map<String, Long> waiting) {
        waiting.keySet().forEach(k -> add(table, k));
    }

    /**
     * The waiting keys as a plain value for the resume state: {@code db.table} to keys in text form, sorted.
     * Feed it to {@link #restore} in the resumed run.
     */
    @Override
    public Map<String, List<String>> snapshot() {
        Map<String, List<String>> out = new TreeMap<>();
        keys.forEach((t, m) -> {
            if (!m.isEmpty()) {
                List<String> list = new ArrayList<>(m.keySet());
                list.sort(null);
                out.put(t.toString(), list);
            }
        });
        return out;
    }

    /** Adds every key of a {@link #snapshot} (of an interrupted run). */
    @Override
    public void restore(Map<String, List<String>> snapshot) {
        snapshot.forEach((table, list) -> {
            TableId id = TableId.parse(table);
            list.forEach(k -> add(id, k));
        });
    }
}
