package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.cutover.CutoverVerification;
import io.ferry.copy.internal.replication.Replication;
import io.ferry.copy.internal.replication.TargetVerifier;
import io.ferry.copy.internal.rowcopy.CopyTasks;
import io.ferry.copy.internal.rowcopy.TableCopier;
import io.ferry.copy.internal.state.RunStateTracker;
import io.ferry.copy.internal.state.StateSaver;
import io.ferry.copy.internal.state.TargetStateTables;
import io.ferry.core.db.PooledDataSource;
import java.util.List;

/**
 * The parts of one run once it is prepared, built by {@link RunAssembly} in dependency order and shared by the
 * phases from step 3 on.
 *
 * @param prepared     what steps 1 and 2 found
 * @param sourcePool   connections to the source
 * @param targetPool   connections to the target (foreign key checks off)
 * @param replication  the binlog streamer and applier
 * @param copyContext  what every table copy shares
 * @param copyTasks    the table copies, which a schema change may restart
 * @param stateTables  the target's state tables, or {@code null} without {@code ResumeStateFromDB}
 * @param tracker      the run's resumable state
 * @param stateSaver   where the state is saved
 * @param verification the verifier's part in the run (does nothing without one)
 * @param targetVerifier the watcher of writes to the target by others, or {@code null} when
 *                     {@code SkipTargetVerification} is not false
 */
public record RunParts(TargetSchemaPhase.Prepared prepared, PooledDataSource sourcePool, PooledDataSource targetPool,
                       Replication replication, TableCopier.Context copyContext, CopyTasks copyTasks,
                       TargetStateTables stateTables, RunStateTracker tracker, StateSaver stateSaver,
                       CutoverVerification verification, TargetVerifier targetVerifier) {

    public List<PooledDataSource> pools() {
        return List.of(sourcePool, targetPool);
    }

    /** Closes the connection pools. */
    public void close() {
        targetPool.close();
        sourcePool.close();
    }
}
