package io.ferry.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A {@code ferry} child process running the CLI from this JVM's module path, its output in files. */
record FerryProcess(Process process, Path stdout, Path stderr) {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    /** Starts {@code ferry args...} with its output in {@code dir}/{@code label}.out and .err. */
    static FerryProcess start(Path dir, String label, Path stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--module-path");
        command.add(withoutSlf4jSimple(System.getProperty("jdk.module.path")));
        command.add("-cp"); // the test runner keeps non-modular jars (the JDBC driver) on the class path
        command.add(withoutSlf4jSimple(System.getProperty("java.class.path")));
        command.add("-m");
        command.add("io.ferry.cli/io.ferry.cli.Main");
        command.addAll(List.of(args));
        Path out = dir.resolve(label + ".out");
        Path err = dir.resolve(label + ".err");
        var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        return new FerryProcess(builder.start(), out, err);
    }

    /** The path without the tests' slf4j binding, so the CLI logs through its own logback setup. */
    private static String withoutSlf4jSimple(String path) {
        return Arrays.stream(path.split(File.pathSeparator)).filter(e -> !e.contains("slf4j-simple"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The exit status; fails the test when the process does not end within {@link #RUN_TIMEOUT}. */
    int await() throws InterruptedException {
        if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ferry did not end within " + RUN_TIMEOUT);
        }
        return process.exitValue();
    }

    String err() throws IOException {
        return Files.readString(stderr);
    }

    String out() throws IOException {
        return Files.readString(stdout);
    }
}
