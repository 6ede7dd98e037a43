package io.ferry.copy.internal.rowcopy;

import io.ferry.core.TableId;
import io.ferry.core.schema.TableSchema;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The copy tasks of a run by the current source name of their table (a rename moves the entry). */
public final class CopyTasks {
    private final Map<TableId, CopyTask> byTable = new ConcurrentHashMap<>();

    public CopyTask add(CopyTask task) {
        byTable.put(task.source(), task);
        return task;
    }

    public Optional<CopyTask> of(TableId table) {
        return Optional.ofNullable(byTable.get(table));
    }

    /** Releases {@code task} as {@code to} (renamed, or the same name), or as dropped when {@code schema} is null. */
    public void release(CopyTask task, TableId from, TableId to, TableSchema schema) {
        if (schema == null || !from.equals(to)) {
            byTable.remove(from, task);
        }
        if (schema != null) {
            byTable.put(to, task);
        }
        task.release(to, schema);
    }
}
