package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.cli.ReleaseFiles.Run;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as a user gets it: unpacked into an empty folder and run with no JDK on {@code PATH} and no
 * {@code JAVA_HOME}, on the runtime it carries: the version, a dry run and a real copy against the test pair.
 */
@MySqlPair
class ReleaseTarballDistIT {
    @TempDir
    static Path dir;
    static Path home;
    private final TestPair pair;

    ReleaseTarballDistIT(TestPair pair) {
        this.pair = pair;
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = ReleaseFiles.artifact("ferry-" + ReleaseFiles.version() + "-linux-x64.tar.gz");
        Path unpacked = Files.createDirectory(dir.resolve("install"));
        Run tar = ReleaseFiles.run(dir, Map.of("PATH", "/usr/bin:/bin"),
                List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()));
        assertEquals(0, tar.exit(), tar.err());
        home = unpacked.resolve("ferry-" + ReleaseFiles.version());
    }

    /** No JDK anywhere: no JAVA_HOME, and a PATH holding only readlink (to follow a link to the launcher). */
    private static Map<String, String> bareEnvironment() throws Exception {
        Path bin = dir.resolve("bin-without-java");
        if (!Files.exists(bin)) {
            Files.createDirectories(bin);
            Files.createSymbolicLink(bin.resolve("readlink"), Path.of("/usr/bin/readlink").toRealPath());
        }
        return Map.of("PATH", bin.toString(), "HOME", dir.toString());
    }

    private static Run ferry(String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of(home.resolve("bin/ferry").toString()));
        command.addAll(List.of(args));
        return ReleaseFiles.run(dir, bareEnvironment(), command);
    }

    @Test
    void holdsTheLauncherATrimmedRuntimeTheModulePathTheReadmeAndTheNotices() throws Exception {
        assertTrue(Files.isExecutable(home.resolve("bin/ferry")));
        assertTrue(Files.isExecutable(home.resolve("runtime/bin/java")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        assertTrue(Files.isDirectory(home.resolve("runtime/legal/java.base")), "the JDK's own licences");
        String modules = Files.readAllLines(home.resolve("runtime/release")).stream()
                .filter(l -> l.startsWith("MODULES=")).findFirst().orElseThrow();
        for (String needed : List.of("java.base", "java.sql", "java.net.http", "jdk.httpserver", "jdk.unsupported",
                "java.management", "java.naming", "jdk.charsets")) {
            assertTrue(modules.matches(".*[\" ]" + needed.replace(".", "\\.") + "[\" ].*"), needed + " in " + modules);
        }
        for (String unneeded : List.of("jdk.compiler", "jdk.jshell", "java.compiler", "jdk.jlink")) {
            assertFalse(modules.contains(unneeded), unneeded + " should not be in the runtime: " + modules);
        }
        List<String> jars;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(jars.contains("ferry-cli-" + ReleaseFiles.version() + ".jar"), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("mysql-connector-j-")), jars.toString());
        String notices = Files.readString(home.resolve("THIRD-PARTY-NOTICES.txt"));
        for (String jar : jars) {
            if (jar.startsWith("ferry-")) {
                continue;
            }
            String artifactVersion = jar.substring(0, jar.length() - ".jar".length());
            int dash = artifactVersion.lastIndexOf('-', artifactVersion.lastIndexOf('.'));
            String coordinates = ":" + artifactVersion.substring(0, dash) + ":" + artifactVersion.substring(dash + 1);
            assertTrue(notices.contains(coordinates + "\n"), "THIRD-PARTY-NOTICES.txt does not list " + jar);
        }
        assertTrue(notices.contains("GPL") && notices.contains("Apache"), notices);
    }

    @Test
    void runsWithoutAJdkOnTheBundledRuntime() throws Exception {
        Run version = ferry("--version");
        assertEquals(0, version.exit(), version.err());
        ReleaseFiles.assertVersionLine(version.out());
        String bundled = Files.readAllLines(home.resolve("runtime/release")).stream()
                .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElseThrow()
                .replaceAll("JAVA_VERSION=|\"", "");
        assertTrue(version.out().contains("JDK " + bundled), "runs on the bundled " + bundled + ": " + version.out());

        // Through a symbolic link, as when installed as /usr/local/bin/ferry.
        Path link = Files.createSymbolicLink(dir.resolve("ferry-link"), home.resolve("bin/ferry"));
        Run linked = ReleaseFiles.run(dir, bareEnvironment(), List.of(link.toString(), "version"));
        assertEquals(0, linked.exit(), linked.err());
        assertEquals(version.out(), linked.out());
    }

    @Test
    void dryRunsAndCopiesAgainstTheTestPair() throws Exception {
        String db = ReleaseFiles.sourceDatabase(pair, "release_tarball", 3000);
        Path config = dir.resolve(db + ".json");
        ReleaseFiles.writePasswords(pair, dir.resolve(db + "-source.pass"), dir.resolve(db + "-target.pass"));
        Files.writeString(config, ReleaseFiles.config(pair, db, db + "-source.pass", db + "-target.pass"));

        Run dry = ferry("copydb", "--dry-run", config.toString());
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains(db + ".orders"), dry.out());
        assertEquals(0L, pair.target().scalar("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?", db),
                "a dry run writes nothing");

        Run copy = ferry("copydb", config.toString());
        assertEquals(0, copy.exit(), copy.err());
        pair.assertIdentical(db, "orders");
        assertEquals(3000L, pair.target().count("`" + db + "`.orders"));
        String password = pair.source().endpoint().password();
        assertFalse(copy.out().contains(password) || copy.err().contains(password), "a password was printed");
    }
}
