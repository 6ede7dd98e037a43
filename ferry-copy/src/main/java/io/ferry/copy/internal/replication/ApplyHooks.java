package io.ferry.copy.internal.replication;

import io.ferry.binlog.BinlogApplier;
import io.ferry.binlog.BinlogEvent;
import io.ferry.copy.RunHooks;
import io.ferry.copy.internal.rowcopy.Transactions;
import io.ferry.copy.internal.state.TargetStateTables;
import io.ferry.core.state.ResumablePosition;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a run does around each binlog apply transaction: the test hooks ({@code BEFORE_BINLOG_APPLY},
 * {@code AFTER_BINLOG_APPLY}, once per target transaction as in Ghostferry), the applier position written into the
 * transaction when the state is forced into the target, and stopping between transactions on a stop request.
 */
public final class ApplyHooks implements BinlogApplier.ApplyListener {
    private final RunHooks hooks;
    private final BooleanSupplier stop;
    private final TargetStateTables forcedState;

    /**
     * @param forcedState the target's state tables when {@code ForceResumeStateUpdatesToDB}, else {@code null}
     */
    public ApplyHooks(RunHooks hooks, BooleanSupplier stop, TargetStateTables forcedState) {
        this.hooks = hooks;
        this.stop = stop;
        this.forcedState = forcedState;
    }

    // Transactions without row changes of copied tables (commits of other tables' transactions) reach no hook.
    @Override
    public void beforeApply(List<BinlogEvent> batch) {
        int changes = BinlogEvent.rowChanges(batch);
        if (changes == 0) {
            return;
        }
        try {
            hooks.beforeBinlogApply(changes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void afterApply(List<BinlogEvent> batch, ResumablePosition applied) {
        int changes = BinlogEvent.rowChanges(batch);
        if (changes == 0) {
            return;
        }
        try {
            hooks.afterBinlogApply(changes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String positionStatement(ResumablePosition completedThrough) {
        return forcedState == null ? null : forcedState.applierPositionStatement(completedThrough);
    }

    @Override
    public boolean stopRequested() {
        return stop.getAsBoolean();
    }
}
