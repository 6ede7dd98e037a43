package io.ferry.core.db;

import javax.sql.DataSource;

/** A connection pool: a {@link DataSource} that must be closed when the run ends. */
public interface PooledDataSource extends DataSource, AutoCloseable {
    /** {@code user@host:port}, without the password. */
    String describe();

    @Override
    void close();
}
