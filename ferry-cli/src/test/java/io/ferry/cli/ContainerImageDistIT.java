package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ferry.cli.ReleaseFiles.Entry;
import io.ferry.cli.ReleaseFiles.Run;
import io.ferry.core.config.Defaults;
import io.ferry.testing.MySqlPair;
import io.ferry.testing.TestPair;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image the dist build writes: its layout, digests and config (entrypoint, non-root user, the control
 * port), the files its layers hold, and the image run as a container runtime would run it: its layers unpacked in
 * order into a root file system, {@code /proc} and {@code /dev} mounted (in a private mount namespace), the
 * entrypoint started in a chroot as the image's user. It shares the host's network, so it copies from the test
 * pair.
 */
@MySqlPair
class ContainerImageDistIT {
    private static final String HOME = "opt/ferry";
    @TempDir
    static Path dir;
    static Map<String, Entry> layout;
    static JsonObject config;
    static List<Map<String, Entry>> layers = new ArrayList<>();
    private final TestPair pair;

    ContainerImageDistIT(TestPair pair) {
        this.pair = pair;
    }

    @BeforeAll
    static void read() throws Exception {
        Path image = ReleaseFiles.artifact("ferry-" + ReleaseFiles.version() + "-linux-x64-oci.tar");
        try (var in = new FileInputStream(image.toFile())) {
            layout = ReleaseFiles.readTar(in, false);
        }
        JsonObject manifest = blob(index().getAsJsonArray("manifests").get(0).getAsJsonObject());
        config = blob(manifest.getAsJsonObject("config"));
        JsonArray diffIds = config.getAsJsonObject("rootfs").getAsJsonArray("diff_ids");
        JsonArray descriptors = manifest.getAsJsonArray("layers");
        assertEquals(descriptors.size(), diffIds.size());
        for (int i = 0; i < descriptors.size(); i++) {
            JsonObject d = descriptors.get(i).getAsJsonObject();
            assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", d.get("mediaType").getAsString());
            byte[] gzipped = blobBytes(d);
            byte[] tar = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped)).readAllBytes();
            assertEquals(diffIds.get(i).getAsString(), "sha256:" + sha256(tar), "diff_id of layer " + i);
            layers.add(ReleaseFiles.readTar(tar, false));
        }
    }

    private static JsonObject index() {
        Entry layoutVersion = layout.get("oci-layout");
        assertNotNull(layoutVersion, "an OCI image layout has an oci-layout file");
        assertEquals("1.0.0", JsonParser.parseString(text(layoutVersion)).getAsJsonObject()
                .get("imageLayoutVersion").getAsString());
        return JsonParser.parseString(text(layout.get("index.json"))).getAsJsonObject();
    }

    /** The blob a descriptor names, checked against its digest and size. */
    private static byte[] blobBytes(JsonObject descriptor) throws Exception {
        String digest = descriptor.get("digest").getAsString();
        Entry blob = layout.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertNotNull(blob, "missing blob " + digest);
        assertEquals(digest, "sha256:" + sha256(blob.content()));
        assertEquals(descriptor.get("size").getAsLong(), blob.content().length);
        return blob.content();
    }

    private static JsonObject blob(JsonObject descriptor) throws Exception {
        return JsonParser.parseString(new String(blobBytes(descriptor), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    void configRunsFerryAsANonRootUserAndExposesTheControlPort() {
        assertEquals("linux", config.get("os").getAsString());
        assertEquals("amd64", config.get("architecture").getAsString());
        JsonObject c = config.getAsJsonObject("config");
        assertEquals(List.of("/" + HOME + "/bin/ferry"), strings(c.getAsJsonArray("Entrypoint")));
        String user = c.get("User").getAsString();
        assertTrue(user.matches("[1-9]\\d*:[1-9]\\d*"), "a numeric non-root user: " + user);
        assertEquals(List.of(Defaults.CONTROL_SERVER_PORT + "/tcp"), List.copyOf(c.getAsJsonObject("ExposedPorts").keySet()),
                "the port of ferry's control server by default");
        assertEquals(ReleaseFiles.version(), c.getAsJsonObject("Labels").get("org.opencontainers.image.version").getAsString());
        String passwd = text(file("etc/passwd"));
        String uid = user.substring(0, user.indexOf(':'));
        assertTrue(passwd.lines().anyMatch(l -> l.startsWith("ferry:x:" + uid + ":")), passwd);
    }

    @Test
    void layersHoldTheLauncherTheRuntimeAndTheLibrariesItLinks() {
        assertTrue(file(HOME + "/bin/ferry").isExecutableFile());
        assertTrue(text(file(HOME + "/bin/ferry")).startsWith("#!/bin/sh"));
        assertTrue(file("bin/sh").isExecutableFile(), "the launcher's shell");
        assertTrue(file(HOME + "/runtime/bin/java").isExecutableFile());
        assertNotNull(file(HOME + "/runtime/lib/modules"));
        assertNotNull(file(HOME + "/runtime/lib/server/libjvm.so"));
        assertNotNull(file(HOME + "/lib/ferry-cli-" + ReleaseFiles.version() + ".jar"));
        assertNotNull(file(HOME + "/THIRD-PARTY-NOTICES.txt"));
        assertNotNull(file("lib64/ld-linux-x86-64.so.2"), "the dynamic loader");
        assertTrue(layers.stream().flatMap(l -> l.keySet().stream()).anyMatch(n -> n.endsWith("/libc.so.6")));
        Entry tmp = layers.stream().map(l -> l.get("tmp")).filter(e -> e != null).findFirst().orElseThrow();
        assertEquals(01777, tmp.mode() & 07777, "a world-writable /tmp (the JDBC natives unpack there)");
    }

    @Test
    void runsAsTheImageUserInItsOwnRootAndCopiesFromTheTestPair() throws Exception {
        Path root = unpackRootFileSystem();
        Run version = inContainer(root, "--version");
        assertEquals(0, version.exit(), version.err());
        ReleaseFiles.assertVersionLine(version.out());

        String db = ReleaseFiles.sourceDatabase(pair, "release_image", 1500);
        Path work = Files.createDirectories(root.resolve("tmp/" + db));
        ReleaseFiles.writePasswords(pair, work.resolve("source.pass"), work.resolve("target.pass"));
        Files.writeString(work.resolve("copydb.json"), ReleaseFiles.config(pair, db, "source.pass", "target.pass"));
        Run dry = inContainer(root, "copydb", "--dry-run", "/tmp/" + db + "/copydb.json");
        assertEquals(0, dry.exit(), dry.err());
        Run copy = inContainer(root, "copydb", "/tmp/" + db + "/copydb.json");
        assertEquals(0, copy.exit(), copy.err());
        pair.assertIdentical(db, "orders");
        assertEquals(1500L, pair.target().count("`" + db + "`.orders"));
    }

    /** The layers extracted in order with the system's tar, as a container runtime lays them out. */
    private static Path unpackRootFileSystem() throws Exception {
        Path root = Files.createDirectory(dir.resolve("rootfs"));
        JsonObject manifest = blob(index().getAsJsonArray("manifests").get(0).getAsJsonObject());
        for (JsonElement d : manifest.getAsJsonArray("layers")) {
            Path layer = dir.resolve("layer.tar.gz");
            Files.write(layer, blobBytes(d.getAsJsonObject()));
            Run tar = ReleaseFiles.run(dir, Map.of("PATH", "/usr/bin:/bin"),
                    List.of("tar", "-xzpf", layer.toString(), "-C", root.toString()));
            assertEquals(0, tar.exit(), tar.err());
        }
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        return root;
    }

    /** The image's entrypoint with {@code args}, as its user, with only the image's environment. */
    private static Run inContainer(Path root, String... args) throws Exception {
        assertEquals("root", System.getProperty("user.name"), "running the image needs root (chroot, mounts)");
        JsonObject c = config.getAsJsonObject("config");
        String entrypoint = String.join(" ", strings(c.getAsJsonArray("Entrypoint")));
        String command = "mount -t proc proc '" + root + "/proc' && mount --bind /dev '" + root + "/dev' && exec chroot"
                + " --userspec=" + c.get("User").getAsString() + " '" + root + "' " + entrypoint + " \"$@\"";
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--fork", "sh", "-c", command, "sh"));
        argv.addAll(List.of(args));
        var env = new java.util.HashMap<String, String>();
        for (JsonElement e : c.getAsJsonArray("Env")) {
            String kv = e.getAsString();
            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        env.put("PATH", env.get("PATH") + ":/usr/sbin:/usr/bin:/sbin:/bin"); // unshare, mount, chroot on the host
        return ReleaseFiles.run(dir, env, argv);
    }

    private static Entry file(String name) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Entry e = layers.get(i).get(name);
            if (e != null) {
                return e;
            }
        }
        throw new AssertionError(name + " is in no layer");
    }

    private static List<String> strings(JsonArray a) {
        List<String> s = new ArrayList<>();
        a.forEach(e -> s.add(e.getAsString()));
        return s;
    }

    private static String text(Entry e) {
        return new String(e.content(), StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
