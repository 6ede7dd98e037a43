package io.ferry.binlog;

import io.ferry.binlog.internal.apply.RowKeys;
import io.ferry.core.TableId;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Splits a run of row events over writers that apply concurrently, keeping every row's changes in source order:
 * changes whose images share a key token ({@link RowKeys}: the same primary key, or values a unique index ties
 * together) form one group, and a group goes to one lane whole, in source order. Different groups touch
 * different rows, so the order between lanes does not matter: each row ends as the source left it.
 * <p>
 * Some changes stay in one lane with everything around them: those of tables without a key (identical rows cannot
 * be told apart) and of parents of cascading foreign keys (the target's keys change child rows the binlog does not
 * mention, so the children's own changes must not overtake them).
 * <p>
 * Used on the applier's thread only.
 */
final class WritesetLanes {
    private static final int MAX_CACHED_SCHEMAS = 1_000;

    private final Function<TableId, TableId> tableMapping;
    private final Set<TableId> cascadeParents;
    /** By instance: the reader shares one schema object per table version, and record equality is deep. */
    private final Map<TableSchema, RowKeys> keys = new IdentityHashMap<>();

    /** @param cascadeParents source tables whose changes cascade to child rows on the target */
    WritesetLanes(Function<TableId, TableId> tableMapping, Set<TableId> cascadeParents) {
        this.tableMapping = tableMapping;
        this.cascadeParents = Set.copyOf(cascadeParents);
    }

    /**
     * The lanes of {@code events} (rows events and commits only), each a list of rows events (parts of the
     * originals, with their positions) in source order; a single lane when the changes cannot be spread.
     */
    List<List<BinlogEvent>> split(List<BinlogEvent> events, int writers) {
        var groups = new Groups();
        for (BinlogEvent e : events) {
            if (!spreadable(e)) {
                return List.of(events);
            }
            switch (e) {
                case RowsInserted r -> r.rows().forEach(row -> groups.add(keysOf(r.table(), r.schema()), row, null));
                case RowsDeleted r -> r.rows().forEach(row -> groups.add(keysOf(r.table(), r.schema()), row, null));
                case RowsUpdated r -> r.changes().forEach(
                        c -> groups.add(keysOf(r.table(), r.schema()), c.before(), c.after()));
                default -> {
                }
            }
        }
        int[] laneOfChange = groups.assign(writers);
        int lanesUsed = 0;
        for (int lane : laneOfChange) {
            lanesUsed = Math.max(lanesUsed, lane + 1);
        }
        if (lanesUsed <= 1) {
            return List.of(events);
        }
        List<List<BinlogEvent>> lanes = new ArrayList<>(lanesUsed);
        for (int i = 0; i < lanesUsed; i++) {
            lanes.add(new ArrayList<>());
        }
        var next = new int[] {0};
        for (BinlogEvent e : events) {
            switch (e) {
                case RowsInserted r -> spread(r.rows(), laneOfChange, next, lanes,
                        part -> new RowsInserted(r.table(), r.schema(), part, r.position(), r.timestamp()));
                case RowsDeleted r -> spread(r.rows(), laneOfChange, next, lanes,
                        part -> new RowsDeleted(r.table(), r.schema(), part, r.position(), r.timestamp()));
                case RowsUpdated r -> spread(r.changes(), laneOfChange, next, lanes,
                        part -> new RowsUpdated(r.table(), r.schema(), part, r.position(), r.timestamp()));
                default -> {
                }
            }
        }
        return lanes;
    }

    /** Hands each lane its share of one event's rows, as an event of their own; {@code next} is the change counter. */
    private static <T> void spread(List<T> items, int[] laneOfChange, int[] next, List<List<BinlogEvent>> lanes,
                                   Function<List<T>, BinlogEvent> part) {
        int first = laneOfChange[next[0]];
        boolean oneLane = true;
        for (int i = 1; i < items.size() && oneLane; i++) {
            oneLane = laneOfChange[next[0] + i] == first;
        }
        if (oneLane) {
            lanes.get(first).add(part.apply(items));
            next[0] += items.size();
            return;
        }
        List<List<T>> shares = new ArrayList<>(lanes.size());
        for (int i = 0; i < lanes.size(); i++) {
            shares.add(new ArrayList<>());
        }
        for (T item : items) {
            shares.get(laneOfChange[next[0]++]).add(item);
        }
        for (int i = 0; i < lanes.size(); i++) {
            if (!shares.get(i).isEmpty()) {
                lanes.get(i).add(part.apply(shares.get(i)));
            }
        }
    }

    private boolean spreadable(BinlogEvent e) {
        return switch (e) {
            case RowsInserted r -> spreadable(r.table(), r.schema());
            case RowsDeleted r -> spreadable(r.table(), r.schema());
            case RowsUpdated r -> spreadable(r.table(), r.schema());
            case TransactionCommitted c -> true;
            default -> false;
        };
    }

    private boolean spreadable(TableId table, TableSchema schema) {
        return !schema.identityKey().isEmpty() && !cascadeParents.contains(table);
    }

    private RowKeys keysOf(TableId source, TableSchema schema) {
        RowKeys k = keys.get(schema);
        if (k == null) {
            if (keys.size() >= MAX_CACHED_SCHEMAS) {
                keys.clear();
            }
            k = RowKeys.of(schema, tableMapping.apply(source).hashCode());
            keys.put(schema, k);
        }
        return k;
    }

    /** Row changes numbered in source order, joined into groups (union-find) by the key tokens they share. */
    private static final class Groups {
        private final Map<Long, Integer> tokenOwner = new HashMap<>();
        private int[] parent = new int[256];
        private int size;

        void add(RowKeys keys, Row image, Row otherImage) {
            int change = size++;
            if (change == parent.length) {
                parent = Arrays.copyOf(parent, change * 2);
            }
            parent[change] = change;
            keys.tokens(image, token -> join(change, token));
            if (otherImage != null) {
                keys.tokens(otherImage, token -> join(change, token));
            }
        }

        private void join(int change, long token) {
            Integer owner = tokenOwner.putIfAbsent(token, change);
            if (owner != null) {
                int a = find(change);
                int b = find(owner);
                if (a != b) {
                    parent[Math.max(a, b)] = Math.min(a, b);
                }
            }
        }

        private int find(int i) {
            while (parent[i] != i) {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            return i;
        }

        /**
         * A lane for every change: each group, in the order its first change came, to the lane with the fewest
         * changes so far (group sizes are known, so a large group does not pile onto a busy lane).
         */
        int[] assign(int writers) {
            int[] groupSize = new int[size];
            for (int i = 0; i < size; i++) {
                groupSize[find(i)]++;
            }
            int[] laneOfGroup = new int[size];
            Arrays.fill(laneOfGroup, -1);
            long[] load = new long[writers];
            int[] lane = new int[size];
            for (int i = 0; i < size; i++) {
                int root = find(i);
                if (laneOfGroup[root] < 0) {
                    int least = 0;
                    for (int w = 1; w < writers; w++) {
                        if (load[w] < load[least]) {
                            least = w;
                        }
                    }
                    laneOfGroup[root] = least;
                    load[least] += groupSize[root];
                }
                lane[i] = laneOfGroup[root];
            }
            return lane;
        }
    }
}
