package io.ferry.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The one CONFIG.json operand every config-driven command takes, checked the same way everywhere. */
final class ConfigArgument {
    private ConfigArgument() {
    }

    /**
     * The readable config file named by {@code operands}, or {@code null} after telling {@code err} what is wrong
     * (the caller then exits with the usage status).
     */
    static Path readable(String command, List<String> operands, String usage, PrintStream err) {
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
