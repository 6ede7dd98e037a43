package io.ferry.core.db;

import io.ferry.core.control.ServerWait;
import java.util.List;
import javax.sql.DataSource;

/** A connection pool: a {@link DataSource} that must be closed when the run ends. */
public interface PooledDataSource extends DataSource, AutoCloseable {
    /** {@code user@host:port}, without the password. */
    String describe();

    /** The statements sent through this pool that the server has not answered yet, the longest waiting first. */
    List<ServerWait> waits();

    @Override
    void close();
}
