package io.ferry.binlog.internal.apply;

import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The unique keys of a table as conflict tokens: two row images share a token whenever the target could see them
 * as the same row or as a duplicate of each other in a unique index (primary key included). Changes whose images
 * share no token touch different rows and no unique index ties them, so they may be applied in either order.
 * <p>
 * A token may be shared by rows the server sees as different (a hash collision, or a column that is not hashed):
 * that only orders changes that could have gone in parallel. The reverse must never happen, so a column only
 * contributes its value when equal values mean equal bytes:
 * <ul>
 *   <li>integers, BIT and temporal values: their exact text (the binlog decoder prints each column one way);</li>
 *   <li>BINARY/VARBINARY/BLOB: only the first byte, because a unique index may cover a prefix of the column
 *       (values differing after the prefix still collide), and every prefix holds the first byte;</li>
 *   <li>text, ENUM/SET, JSON, DECIMAL, FLOAT/DOUBLE and the rest: nothing, because a collation (case, accents,
 *       trailing spaces), a prefix or number formatting can make different bytes equal.</li>
 * </ul>
 * A NULL in a unique key never collides (a unique index admits many NULLs), so that key yields no token.
 */
public final class RowKeys {
    private static final int EXACT = 0;
    private static final int FIRST_BYTE = 1;
    private static final int IGNORED = 2;

    private final long tableSeed;
    private final int[][] columns;
    private final int[][] treatment;

    private RowKeys(long tableSeed, int[][] columns, int[][] treatment) {
        this.tableSeed = tableSeed;
        this.columns = columns;
        this.treatment = treatment;
    }

    /** The keys of {@code schema}; {@code tableSeed} tells tables apart (the target table's hash, say). */
    public static RowKeys of(TableSchema schema, long tableSeed) {
        List<List<String>> keys = new ArrayList<>();
        if (!schema.primaryKey().isEmpty()) {
            keys.add(schema.primaryKey());
        }
        keys.addAll(schema.uniqueKeys());
        int[][] columns = new int[keys.size()][];
        int[][] treatment = new int[keys.size()][];
        for (int k = 0; k < keys.size(); k++) {
            List<String> key = keys.get(k);
            columns[k] = new int[key.size()];
            treatment[k] = new int[key.size()];
            for (int i = 0; i < key.size(); i++) {
                int index = indexOf(schema, key.get(i));
                columns[k][i] = index;
                treatment[k][i] = index < 0 ? IGNORED : treatmentOf(schema.columns().get(index));
            }
        }
        return new RowKeys(tableSeed, columns, treatment);
    }

    /** Hands each token of {@code row} to {@code out}. */
    public void tokens(Row row, LongConsumer out) {
        nextKey:
        for (int k = 0; k < columns.length; k++) {
            long h = mix(tableSeed, k + 1);
            for (int i = 0; i < columns[k].length; i++) {
                int index = columns[k][i];
                byte[] value = index < 0 || index >= row.size() ? new byte[0] : row.get(index);
                if (value == null) {
                    continue nextKey;
                }
                h = mix(h, switch (treatment[k][i]) {
                    case EXACT -> hash(value);
                    case FIRST_BYTE -> value.length == 0 ? -1 : value[0];
                    default -> 0;
                });
            }
            out.accept(h);
        }
    }

    private static int treatmentOf(ColumnSchema column) {
        return switch (column.kind()) {
            case INTEGER, BIT, TEMPORAL -> EXACT;
            case BINARY, FIXED_BINARY -> FIRST_BYTE;
            default -> IGNORED;
        };
    }

    private static int indexOf(TableSchema schema, String column) {
        for (int i = 0; i < schema.columns().size(); i++) {
            if (schema.columns().get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private static long hash(byte[] value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long h, long v) {
        long x = (h ^ v) * 0x9e3779b97f4a7c15L;
        return x ^ (x >>> 31);
    }
}
