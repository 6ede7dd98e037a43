package io.ferry.cli;

import io.ferry.copy.Ferry;
import io.ferry.copy.RunHooks;
import io.ferry.copy.RunSummary;
import io.ferry.core.RunFailed;
import io.ferry.core.config.ControlServerConfig;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.Partition;
import io.ferry.core.db.DataSources;
import io.ferry.core.db.SqlErrors;
import io.ferry.core.filter.CopySubset;
import io.ferry.server.ControlServer;
import io.ferry.server.ControlServerSettings;
import io.ferry.verify.Verifiers;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ferry copydb [--dry-run] [--verbose] CONFIG.json}: copy databases online and cut over. */
final class CopydbCommand {
    static final String USAGE = """
            Usage: ferry copydb [--dry-run] [--verbose] [--resume-state FILE] [--partition I/N] CONFIG.json

            Copies the databases and tables CONFIG.json selects from its Source to its Target while both stay online,
            keeps the target in sync from the source binlog, and cuts over (automatically with "AutomaticCutover": true).
            CONFIG.json uses ghostferry-copydb's keys; see README.md.

              --dry-run            check servers, privileges and tables, print the plan, write nothing
              --verbose            log every batch (DEBUG)
              --resume-state FILE  continue the interrupted run whose state FILE holds ("-" reads it from stdin)
              --partition I/N      copy part I (from 0) of N balanced parts of the tables, as one of N workers that
                                   cut over together (as "Partition" in the config; needs ResumeStateFromDB);
                                   --dry-run prints the split

            SIGINT/SIGTERM stop the run at a clean point; with DumpStateOnSignal, StateFilename or ResumeStateFromDB
            its state is saved and the run can be resumed.

            Exit status: 0 after a completed cutover; 2 bad usage or configuration; 3 a server, privilege or table
            does not meet ferry's requirements; 4 the configured verifier (VerifierType) found the target differs;
            1 the run failed or was interrupted.
            """;

    private CopydbCommand() {
    }

    /** The control server when the config enables it, else {@code null}; it serves until the run ends. */
    private static ControlServer startControlServer(ControlServerConfig cfg, Ferry ferry, Logger log) {
        if (!cfg.enabled()) {
            if (!cfg.customScripts().isEmpty() || cfg.webBasedir() != null) {
                log.warn("custom scripts and WebBasedir are served by the control server, which is off; set"
                        + " \"ControlServerConfig\": {\"Enabled\": true} to use them");
            }
            return null;
        }
        var server = ControlServer.start(ferry, new ControlServerSettings(cfg.host(), cfg.port(), cfg.bearerToken(),
                Main.version(), cfg.customScripts(), cfg.webBasedir()));
        log.info("control server listening on {}{}", server.url(),
                cfg.bearerToken().isEmpty() ? "" : " (API and metrics require the bearer token)");
        return server;
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run("copydb", USAGE, args, out, err, (files, e) -> {
            CopydbConfig config = ConfigArgument.load("copydb", files, USAGE, e);
            return config == null ? null : new Move(config, SubsetOf.WHOLE);
        });
    }

    /** What a command moves: its copydb config and, once the source is reachable, the subset of it. */
    record Move(CopydbConfig config, SubsetOf subset) {
        Move withConfig(CopydbConfig changed) {
            return new Move(changed, subset);
        }
    }

    /** The subset a move copies, worked out on the source (a tenant filter reads the source's indexes). */
    @FunctionalInterface
    interface SubsetOf {
        /** Every row of every selected table; needs no look at the source. */
        SubsetOf WHOLE = source -> CopySubset.ALL;

        CopySubset on(Connection source) throws SQLException;
    }

    /** Reads a command's config file; {@code null} after telling {@code err} what is wrong. */
    @FunctionalInterface
    interface MoveLoader {
        Move load(List<String> files, PrintStream err);
    }

    /** A copy command ({@code copydb}, {@code shard}): its options, then the run or, with --dry-run, its plan. */
    static int run(String command, String usage, String[] args, PrintStream out, PrintStream err, MoveLoader loader) {
        boolean dryRun = false;
        String resumeFrom = null;
        Partition partition = null;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--resume-state") || arg.equals("-resumestate") || arg.startsWith("--resume-state=")) {
                if (arg.contains("=")) {
                    resumeFrom = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    resumeFrom = args[++i];
                } else {
                    err.println("ferry " + command + ": --resume-state needs a FILE (or - for stdin)\n" + usage);
                    return 2;
                }
                continue;
            }
            if (arg.equals("--partition") || arg.startsWith("--partition=")) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.length ? args[++i] : "";
                partition = Partition.parse(value);
                if (partition == null) {
                    err.println("ferry " + command + ": --partition " + value + ": " + Partition.problem(value) + "\n"
                            + usage);
                    return 2;
                }
                continue;
            }
            if (arg.equals("--dry-run") || arg.equals("-dryrun")) {
                dryRun = true;
                continue;
            }
            int status = ConfigArgument.common(command, arg, files, usage, out, err);
            if (status != ConfigArgument.GO_ON) {
                return status;
            }
        }
        Move move = loader.load(files, err);
        if (move == null) {
            return 2;
        }
        if (partition != null) {
            move = move.withConfig(move.config().withPartition(partition));
        }
        if (resumeFrom != null) {
            var c = move.config();
            move = move.withConfig(c.withState(c.state().withStateToResumeFrom(ResumeStateInput.read(resumeFrom))));
        }
        CopydbConfig config = move.config();
        CopySubset subset = CopySubset.ALL;
        if (move.subset() != SubsetOf.WHOLE) {
            try (Connection source = DataSources.connectChecked("Source", config.source())) {
                subset = move.subset().on(source);
            } catch (SQLException e) {
                throw new RunFailed("reading the source's tables for the " + command + " run failed: "
                        + SqlErrors.describe(e), e);
            }
        }
        Logger log = LoggerFactory.getLogger(CopydbCommand.class);
        try (var ferry = new Ferry(config, RunHooks.NONE, Verifiers.create(config.verification()).orElse(null),
                subset)) {
            if (dryRun) {
                out.print(ferry.plan().describe());
                return 0;
            }
            var stopper = SignalStop.install(ferry);
            RunSummary summary;
            try (var server = startControlServer(config.controlServer(), ferry, log);
                 var progress = ProgressLine.start(ferry, ProgressLine.onTerminal() && !Logging.isJson() ? err : null,
                         ProgressLine.LOG_EVERY)) {
                summary = ferry.run();
            } finally {
                stopper.uninstall();
            }
            if (summary.verified()) {
                log.info(summary.describe());
            } else {
                log.warn(summary.describe());
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ferry " + command + ": interrupted");
            return 130;
        }
    }
}
