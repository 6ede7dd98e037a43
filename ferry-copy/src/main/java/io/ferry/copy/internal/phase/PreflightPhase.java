package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.preflight.Preflight;
import io.ferry.copy.internal.schema.CascadingForeignKeys;
import io.ferry.copy.internal.schema.SchemaSetup;
import io.ferry.copy.internal.state.ResumeCheck;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.DataSources;
import io.ferry.core.state.SourceIdentity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Step 1: checks both servers, the config and every table, and works out the copy order. Writes nothing. */
public final class PreflightPhase implements Phase {
    private final CopydbConfig config;
    private volatile Result result;

    /**
     * What preflight found.
     *
     * @param order    the tables in creation (and copy) order
     * @param cascades the foreign keys whose actions cascade between copied tables
     * @param sourceId the source server's identity, saved with the state
     */
    public record Result(Preflight.Checked checked, List<TableId> order, CascadingForeignKeys cascades,
                         SourceIdentity sourceId) {
    }

    public PreflightPhase(CopydbConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "preflight";
    }

    @Override
    public RunPhase status() {
        return RunPhase.STARTING;
    }

    @Override
    public void run() {
        try (Connection source = DataSources.connectChecked("Source", config.source());
             Connection target = DataSources.connectChecked("Target", config.target())) {
            Preflight.Checked checked = new Preflight(config).run(source, target);
            List<TableId> order = SchemaSetup.creationOrder(source, config, checked.tables().keySet());
            result = new Result(checked, order, CascadingForeignKeys.load(source, checked.tables().keySet()),
                    ResumeCheck.identify(source, config.source()));
        } catch (SQLException e) {
            throw new RunFailed("preflight failed: " + e.getMessage(), e);
        }
    }

    /** What preflight found; after {@link #run()}. */
    public Result result() {
        return result;
    }
}
