package io.ferry.cli;

import io.ferry.core.ConfigException;
import io.ferry.core.CutoverFailed;
import io.ferry.core.DataMismatch;
import io.ferry.core.FerryException;
import io.ferry.core.PreconditionFailed;
import io.ferry.core.RunFailed;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code ferry} command: dispatches to a subcommand and turns its outcome into an exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Logging.init();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (command) {
                case "copydb" -> CopydbCommand.run(rest, out, err);
                case "shard" -> ShardCommand.run(rest, out, err);
                case "demo" -> DemoCommand.run(rest, out, err);
                case "verify" -> VerifyCommand.run(rest, out, err);
                case "version", "--version" -> {
                    out.println("ferry " + version());
                    yield 0;
                }
                default -> {
                    err.println("ferry: unknown command '" + command + "'; run 'ferry --help' for the list");
                    yield 2;
                }
            };
        } catch (FerryException e) {
            Logging.failure(err, "ferry " + command + ": " + e.getMessage());
            return exitCode(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("ferry " + command + ": interrupted");
            return 130;
        } catch (Exception e) {
            Logging.failure(err, "ferry " + command + ": unexpected failure: " + e);
            return 1;
        }
    }

    /** 2: fix the configuration; 3: fix a server, privilege or table; 4: data differ; 1: the run failed. */
    static int exitCode(FerryException e) {
        return switch (e) {
            case ConfigException c -> 2;
            case PreconditionFailed p -> 3;
            case DataMismatch d -> 4;
            case CutoverFailed c -> 1;
            case RunFailed r -> 1;
        };
    }

    static String usage() {
        return """
                ferry: move a live MySQL database to another server with seconds of downtime.

                Usage: ferry COMMAND [OPTIONS]

                Commands:
                  copydb     copy databases online from a source to a target server and cut over
                  shard      move one tenant of a multi-tenant database online and cut over
                  verify     compare the source and target tables of a copydb config, read-only
                  demo       run a whole online copy of a sample shop database on the local server pair
                  version    print the version, the commit it was built from and the Java runtime
                  help       show this text

                Run 'ferry COMMAND --help' for a command's options.
                """;
    }

    /** The version, commit and JDK, as {@code ferry --version} prints them. */
    static String version() {
        return BuildInfo.current().describe();
    }
}
