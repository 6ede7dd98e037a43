package io.ferry.copy.internal.rowcopy;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.schema.ColumnSchema;
import io.ferry.core.schema.Row;
import io.ferry.core.schema.TableSchema;
import io.ferry.core.sql.Sql;
import io.ferry.core.sql.SqlLiterals;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One multi-row {@code INSERT} of exact literals into a target table, naming the columns that can be written
 * (generated ones never are). Binary and text values go as hex, which the server parses faster than the driver
 * escapes bound bytes.
 */
final class RowInsert {
    private final SqlLiterals literals;
    private final List<ColumnSchema> writable;
    private final int[] writableIndexes;
    private final String prefix;
    private final TableId target;

    private RowInsert(String verb, TableSchema schema, TableId target, SqlLiterals literals) {
        this.literals = literals;
        this.target = target;
        this.writable = schema.writableColumns();
        this.writableIndexes = writable.stream().mapToInt(c -> schema.columns().indexOf(c)).toArray();
        this.prefix = verb + " INTO " + target.sql() + " ("
                + String.join(", ", writable.stream().map(c -> Sql.quote(c.name())).toList()) + ") VALUES ";
    }

    /** {@code INSERT IGNORE}: a row already on the target (brought by the binlog) is the newer one and stays. */
    static RowInsert ignoringExisting(TableSchema schema, TableId target, SqlLiterals literals) {
        return new RowInsert("INSERT IGNORE", schema, target, literals);
    }

    /** A plain {@code INSERT}: a duplicate key fails the statement. */
    static RowInsert plain(TableSchema schema, TableId target, SqlLiterals literals) {
        return new RowInsert("INSERT", schema, target, literals);
    }

    /**
     * The rows as multi-row statements of at most {@code maxStatementBytes} each (every literal is ASCII, so a
     * character is a byte), in row order; usually one.
     *
     * @throws RowTooLarge when one row alone does not fit
     */
    TargetBatch.Inserts render(List<Row> rows, long maxStatementBytes) {
        long bytes = 0;
        for (Row row : rows) {
            bytes += row.byteSize();
        }
        List<String> statements = new ArrayList<>(1);
        var sql = new StringBuilder((int) Math.min(Math.min(Integer.MAX_VALUE - 64, maxStatementBytes),
                prefix.length() + 2 * bytes + 16L * rows.size() * writable.size()));
        sql.append(prefix);
        int inStatement = 0;
        for (Row row : rows) {
            int mark = sql.length();
            sql.append(inStatement == 0 ? "(" : ",(");
            for (int i = 0; i < writable.size(); i++) {
                if (i > 0) {
                    sql.append(',');
                }
                try {
                    literals.append(sql, writable.get(i), row.get(writableIndexes[i]));
                } catch (IllegalArgumentException e) {
                    throw new RunFailed("cannot write a row of " + target + ": " + e.getMessage(), e);
                }
            }
            sql.append(')');
            if (sql.length() > maxStatementBytes) {
                if (inStatement == 0) {
                    throw new RowTooLarge(sql.length() - prefix.length(), maxStatementBytes);
                }
                String rowText = sql.substring(mark + 1); // without the comma
                sql.setLength(mark);
                statements.add(sql.toString());
                sql.setLength(0);
                sql.append(prefix).append(rowText);
                inStatement = 0;
                if (sql.length() > maxStatementBytes) {
                    throw new RowTooLarge(rowText.length(), maxStatementBytes);
                }
            }
            inStatement++;
        }
        statements.add(sql.toString());
        return new TargetBatch.Inserts(statements, bytes);
    }

    /**
     * The largest INSERT to send to {@code target}: its {@code max_allowed_packet}, less room for the progress
     * statement that may share the packet and for the protocol.
     */
    static long statementLimit(Connection target) throws SQLException {
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT @@max_allowed_packet")) {
            rs.next();
            long packet = rs.getLong(1);
            return Math.max(packet / 2, packet - 64 * 1024);
        }
    }

    /** A single row whose INSERT is larger than the target accepts. */
    static final class RowTooLarge extends RuntimeException {
        RowTooLarge(long rowBytes, long maxStatementBytes) {
            super("a row of " + rowBytes + " bytes (as SQL text) does not fit in one statement of the target's"
                    + " max_allowed_packet (" + maxStatementBytes + " bytes usable); raise max_allowed_packet on the"
                    + " target (SET GLOBAL max_allowed_packet = 1073741824, and in its config file) and resume");
        }
    }
}
