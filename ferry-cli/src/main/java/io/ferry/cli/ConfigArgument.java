package io.ferry.cli;

import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.ShardConfig;
import io.ferry.core.config.ShardConfigLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The arguments every config-driven command takes, read the same way everywhere: the one CONFIG.json operand,
 * {@code --verbose} and {@code --help}.
 */
final class ConfigArgument {
    /** What {@link #common} returns when the command goes on. */
    static final int GO_ON = -1;

    private ConfigArgument() {
    }

    /**
     * Takes {@code arg} when every config-driven command knows it: {@code --verbose}, {@code --help} (prints
     * {@code usage}; exit status 0), an operand (added to {@code operands}) or else an unknown option (exit status
     * 2). Returns the exit status to end the command with, or {@link #GO_ON}.
     */
    static int common(String command, String arg, List<String> operands, String usage, PrintStream out,
                      PrintStream err) {
        switch (arg) {
            case "--verbose", "-verbose", "-v" -> Logging.verbose();
            case "-h", "--help" -> {
                out.print(usage);
                return 0;
            }
            default -> {
                if (arg.startsWith("-")) {
                    err.println("ferry " + command + ": unknown option " + arg + "\n" + usage);
                    return 2;
                }
                operands.add(arg);
            }
        }
        return GO_ON;
    }

    /**
     * The config the one operand names, or {@code null} after telling {@code err} why there is none (the caller
     * then exits with the usage status); a config with problems throws {@link io.ferry.core.ConfigException}.
     */
    static CopydbConfig load(String command, List<String> operands, String usage, PrintStream err) {
        Path file = readable(command, operands, usage, err);
        if (file == null) {
            return null;
        }
        CopydbConfig config = ConfigLoader.load(file);
        Logging.configure(config.logging());
        return config;
    }

    /** Whether the one config file {@code operands} names is a {@code ferry shard} config. */
    static boolean isShardConfig(List<String> operands) {
        return operands.size() == 1 && ShardConfigLoader.isShardConfig(Path.of(operands.getFirst()));
    }

    /** {@link #load} for {@code ferry shard}'s config, a copydb config with the tenant's keys. */
    static ShardConfig loadShard(String command, List<String> operands, String usage, PrintStream err) {
        Path file = readable(command, operands, usage, err);
        if (file == null) {
            return null;
        }
        ShardConfig config = ShardConfigLoader.load(file);
        Logging.configure(config.copydb().logging());
        return config;
    }

    /**
     * The readable config file named by {@code operands}, or {@code null} after telling {@code err} what is wrong
     * (the caller then exits with the usage status).
     */
    private static Path readable(String command, List<String> operands, String usage, PrintStream err) {
        if (operands.size() != 1) {
            err.print("ferry " + command + ": expected exactly one CONFIG.json\n" + usage);
            return null;
        }
        Path file = Path.of(operands.getFirst());
        if (!Files.isReadable(file)) {
            err.println("ferry " + command + ": cannot read config file " + file.toAbsolutePath()
                    + "; check the path and its permissions");
            return null;
        }
        return file;
    }
}
