package io.ferry.copy.internal.rowcopy;

import io.ferry.core.db.LocalInfile;
import io.ferry.core.sql.LoadDataRows;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** A copy batch as it goes to the target: multi-row INSERT statements, or one LOAD DATA fed from memory. */
sealed interface TargetBatch {
    /** The rows' size (their values' bytes), for progress. */
    long bytes();

    /** Whether the batch is one statement, atomic on its own in autocommit mode. */
    boolean single();

    /** Sends the batch on {@code st}, in autocommit mode or in the caller's transaction. */
    void write(Statement st) throws SQLException;

    /** INSERT statements of at most the target's packet size each, in row order; usually one. */
    record Inserts(List<String> statements, long bytes) implements TargetBatch {
        @Override
        public boolean single() {
            return statements.size() == 1;
        }

        @Override
        public void write(Statement st) throws SQLException {
            for (String sql : statements) {
                st.executeUpdate(sql);
            }
        }
    }

    /** The rows as a file for one {@code LOAD DATA LOCAL INFILE}, which the driver sends in packets of any size. */
    record Load(String statement, LoadDataRows.Bytes data, long bytes) implements TargetBatch {
        @Override
        public boolean single() {
            return true;
        }

        @Override
        public void write(Statement st) throws SQLException {
            LocalInfile.load(st, statement, data.array(), data.size());
        }
    }
}
