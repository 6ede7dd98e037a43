package io.ferry.copy.internal.phase;

import io.ferry.copy.internal.cutover.WorkerRegistry;
import io.ferry.copy.internal.preflight.PartAssignment;
import io.ferry.copy.internal.preflight.Preflight;
import io.ferry.copy.internal.preflight.TablePartitioner;
import io.ferry.copy.internal.schema.CascadingForeignKeys;
import io.ferry.copy.internal.schema.SchemaSetup;
import io.ferry.copy.internal.state.ResumeCheck;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.control.RunPhase;
import io.ferry.core.db.DataSources;
import io.ferry.core.filter.CopySubset;
import io.ferry.core.state.SourceIdentity;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1: checks both servers, the config and every table, and works out the copy order. Writes nothing, but for
 * a worker of a partitioned move: it first registers in the move's worker tables on the target and agrees on the
 * split of the tables there (the first worker's stands), then checks only its own part.
 */
public final class PreflightPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(PreflightPhase.class);
    private final CopydbConfig config;
    private final WorkerRegistry registry;
    private final CopySubset subset;
    private volatile Result result;

    /**
     * What preflight found.
     *
     * @param order    the tables in creation (and copy) order
     * @param cascades the foreign keys whose actions cascade between copied tables
     * @param sourceId the source server's identity, saved with the state
     * @param part     the tables this run owns (all of a whole run)
     * @param subset   the tables and rows the run moves
     */
    public record Result(Preflight.Checked checked, List<TableId> order, CascadingForeignKeys cascades,
                         SourceIdentity sourceId, PartAssignment part, CopySubset subset) {
    }

    /** @param registry the move's workers, for a partitioned run; {@code null} for a whole one */
    public PreflightPhase(CopydbConfig config, WorkerRegistry registry, CopySubset subset) {
        this.config = config;
        this.registry = registry;
        this.subset = subset;
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
            PartAssignment part = registry == null ? PartAssignment.WHOLE : agreeOnPart(source);
            Preflight.Checked checked = new Preflight(config, part::owns, subset).run(source, target);
            List<TableId> order = SchemaSetup.creationOrder(source, config, checked.tables().keySet());
            var cascades = CascadingForeignKeys.load(source, checked.tables().keySet());
            if (registry != null) {
                refuseCascadesAcrossParts(CascadingForeignKeys.load(source, part.parts().keySet()), part);
            }
            result = new Result(checked, order, cascades, ResumeCheck.identify(source, config.source()), part,
                    subset);
        } catch (SQLException e) {
            throw new RunFailed("preflight failed: " + e.getMessage(), e);
        }
    }

    /** Registers this worker and reads back the split the move keeps (proposing this worker's where none is). */
    private PartAssignment agreeOnPart(Connection source) throws SQLException {
        registry.register();
        Map<TableId, Integer> proposed = new TreeMap<>();
        for (var p : TablePartitioner.split(new Preflight(config).selectedSizes(source), config.partition().count())) {
            p.tables().forEach(t -> proposed.put(t, p.index()));
        }
        var part = new PartAssignment(config.partition(), registry.agreeOnParts(proposed));
        LOG.info("partition {}: this worker copies {}", config.partition(), part.parts().entrySet().stream()
                .filter(e -> e.getValue() == config.partition().index()).map(e -> e.getKey().toString()).toList());
        return part;
    }

    /**
     * A cascading foreign key makes the target change a child table when its parent changes: with parent and child
     * in different parts, two workers would write the child without serializing against each other's row copy.
     */
    private void refuseCascadesAcrossParts(CascadingForeignKeys all, PartAssignment part) {
        List<String> across = new ArrayList<>();
        all.children().forEach((parent, children) -> children.stream()
                .filter(c -> !part.parts().get(c).equals(part.parts().get(parent)))
                .forEach(c -> across.add(parent + " (part " + part.parts().get(parent) + ") -> " + c + " (part "
                        + part.parts().get(c) + ")")));
        if (!across.isEmpty()) {
            throw new PreconditionFailed("Partition = " + config.partition() + ": foreign keys with cascading actions"
                    + " link tables of different parts: " + String.join(", ", across) + ". Copy these tables in one"
                    + " part: run the move without Partition, or move them on their own (Tables.Whitelist)");
        }
    }

    /** What preflight found; after {@link #run()}. */
    public Result result() {
        return result;
    }
}
