import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds ferry's release (run by the dist profile of ferry-cli's pom, with the JDK that runs Maven, as a
 * single-file program so the build needs no plugin beyond exec):
 * <ul>
 *   <li>a folder {@code ferry-VERSION/} with {@code bin/ferry}, a jlink runtime holding only the JDK modules the
 *   module path needs, the module path in {@code lib/}, the README and the bundled libraries' licence notices, and
 *   the same as {@code ferry-VERSION-linux-x64.tar.gz};</li>
 *   <li>an OCI image layout, as a tar ({@code ferry-VERSION-linux-x64-oci.tar}), written without a container
 *   engine: no base image can be pulled while building, so the image starts from scratch and carries, besides the
 *   release, the C libraries the runtime and {@code /bin/sh} link against, copied from the build machine (found
 *   with {@code ldd}), and an {@code /etc/passwd} naming the non-root user it runs as.</li>
 * </ul>
 * Usage: {@code java Release.java KEY=VALUE...}; the keys are read in {@link #main}.
 */
public final class Release {
    static final String MAIN_MODULE = "io.ferry.cli";
    static final int USER_ID = 65532;
    static final String IMAGE_HOME = "/opt/ferry";
    /** Desktop libraries of java.desktop (JSqlParser requires the module for java.beans): never loaded headless. */
    static final Set<String> DESKTOP_LIBRARIES = Set.of("libawt_xawt.so", "libjawt.so", "libsplashscreen.so",
            "libjsound.so", "libfontmanager.so", "libawt.so", "libfreetype.so", "liblcms.so", "libjavajpeg.so",
            "libmlib_image.so", "libawt_headless.so");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected KEY=VALUE, got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String version = need(a, "version");
        Path out = Path.of(need(a, "out"));
        Path cliJar = Path.of(need(a, "cliJar"));
        Path lib = Path.of(need(a, "lib"));
        List<String> extras = List.of(a.getOrDefault("extraModules", "").split(","));
        int port = Integer.parseInt(a.getOrDefault("port", "8000"));
        var build = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of(need(a, "commitFile")))) {
            build.load(in);
        }
        String commit = build.getProperty("commit", "unknown");

        String name = "ferry-" + version;
        Path home = out.resolve(name);
        deleteTree(home);
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        copyExecutable(Path.of(need(a, "launcher")), home.resolve("bin/ferry"));
        Files.copy(cliJar, home.resolve("lib").resolve(cliJar.getFileName()));
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                Files.copy(jar, home.resolve("lib").resolve(jar.getFileName()));
            }
        }
        Files.copy(Path.of(need(a, "readme")), home.resolve("README.md"));

        Set<String> modules = jdkModules(home.resolve("lib"), extras);
        System.out.println("release: runtime modules " + String.join(",", modules));
        jlink(modules, home.resolve("runtime"));
        new Notices(Path.of(need(a, "deps")), Path.of(need(a, "localRepo"))).write(home);

        Path tarball = out.resolve(name + "-linux-x64.tar.gz");
        try (var tar = new Tar(new GZIPOutputStream(Files.newOutputStream(tarball)))) {
            tar.addTree(home, name, 0);
        }
        System.out.println("release: " + tarball);

        Path image = out.resolve(name + "-linux-x64-oci.tar");
        new OciImage(version, commit, port).write(home, image);
        System.out.println("release: " + image);
    }

    private static String need(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }

    /**
     * The JDK modules the module path needs: those its module descriptors require (resolved as the launcher
     * resolves the boot layer, from {@link #MAIN_MODULE}), those the automatic modules' classes use (they have no
     * descriptor, so jdeps reads their bytecode), and the extras only reached at run time (service providers such
     * as jdk.charsets), where this JDK has them.
     */
    static Set<String> jdkModules(Path modulePath, List<String> extras) {
        ModuleFinder app = ModuleFinder.of(modulePath);
        Configuration cf = Configuration.empty().resolve(ModuleFinder.compose(app, ModuleFinder.ofSystem()),
                ModuleFinder.of(), Set.of(MAIN_MODULE));
        Set<String> jdk = new TreeSet<>();
        for (ResolvedModule m : cf.modules()) {
            ModuleReference ref = m.reference();
            boolean system = ref.location().map(u -> u.getScheme().equals("jrt")).orElse(false);
            if (system) {
                jdk.add(m.name());
            } else if (ref.descriptor().isAutomatic()) {
                jdk.addAll(jdepsModules(Path.of(ref.location().orElseThrow())));
            }
        }
        Set<String> available = ModuleFinder.ofSystem().findAll().stream().map(r -> r.descriptor().name())
                .collect(Collectors.toSet());
        extras.stream().map(String::strip).filter(available::contains).forEach(jdk::add);
        return jdk;
    }

    private static List<String> jdepsModules(Path jar) {
        String printed = run("jdeps", "--multi-release", String.valueOf(Runtime.version().feature()),
                "--ignore-missing-deps", "--print-module-deps", jar.toString()).strip();
        List<String> lines = printed.lines().toList();
        return List.of(lines.getLast().split(","));
    }

    private static void jlink(Set<String> modules, Path output) {
        run("jlink", "--add-modules", String.join(",", modules), "--output", output.toString(), "--strip-debug",
                "--no-header-files", "--no-man-pages", "--compress", "zip-6");
    }

    private static String run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException(tool + " is missing: build with a JDK, not a JRE"));
        var out = new ByteArrayOutputStream();
        var printer = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        int status = provider.run(printer, printer, args);
        String text = out.toString(StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (" + status + "):\n" + text);
        }
        return text;
    }

    static void copyExecutable(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        to.toFile().setExecutable(true, false);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code THIRD-PARTY-NOTICES.txt} and {@code licenses/}: each bundled library's licence, from its POM. */
    record Notices(Path deps, Path localRepo) {
        void write(Path home) throws Exception {
            var text = new StringBuilder("""
                    ferry bundles the libraries below in lib/, under the licences named (from each library's
                    published POM). Licence and notice files a library ships in its jar are copied to
                    licenses/<library>/. The Java runtime in runtime/ is OpenJDK; its licences are in
                    runtime/legal/.

                    """);
            List<Path> poms;
            try (Stream<Path> all = Files.walk(deps)) {
                poms = all.filter(p -> p.toString().endsWith(".pom")).sorted().toList();
            }
            for (Path pom : poms) {
                Path versionDir = pom.getParent();
                String version = versionDir.getFileName().toString();
                String artifact = versionDir.getParent().getFileName().toString();
                String group = deps.relativize(versionDir.getParent().getParent()).toString().replace('/', '.');
                List<String> licences = licences(pom);
                text.append(group).append(':').append(artifact).append(':').append(version).append('\n');
                String projectName = text(parse(pom).getDocumentElement(), "name");
                if (projectName != null) {
                    text.append("  ").append(projectName.strip().replaceAll("\\s+", " ")).append('\n');
                }
                if (licences.isEmpty()) {
                    throw new IllegalStateException(pom + " names no licence (nor does any parent); add it by hand");
                }
                licences.forEach(l -> text.append("  licence: ").append(l).append('\n'));
                text.append('\n');
                Path jar = versionDir.resolve(artifact + "-" + version + ".jar");
                if (Files.exists(jar)) {
                    copyLicenceFiles(jar, home.resolve("licenses").resolve(artifact + "-" + version));
                }
            }
            Files.writeString(home.resolve("THIRD-PARTY-NOTICES.txt"), text);
        }

        /** The licences of a POM, or of its nearest parent that names any. */
        private List<String> licences(Path pom) throws Exception {
            for (Path p = pom; p != null; p = parent(p)) {
                Element project = parse(p).getDocumentElement();
                List<String> found = new ArrayList<>();
                for (Element licence : children(child(project, "licenses"), "license")) {
                    String n = text(licence, "name");
                    String url = text(licence, "url");
                    found.add((n == null ? "(unnamed)" : n.strip()) + (url == null ? "" : " <" + url.strip() + ">"));
                }
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return List.of();
        }

        private Path parent(Path pom) throws Exception {
            Element parent = child(parse(pom).getDocumentElement(), "parent");
            if (parent == null) {
                return null;
            }
            String g = text(parent, "groupId");
            String a = text(parent, "artifactId");
            String v = text(parent, "version");
            Path p = localRepo.resolve(g.replace('.', '/')).resolve(a).resolve(v).resolve(a + "-" + v + ".pom");
            return Files.exists(p) ? p : null;
        }

        private static void copyLicenceFiles(Path jar, Path dir) throws IOException {
            try (var zip = new ZipFile(jar.toFile())) {
                for (var e : zip.stream().toList()) {
                    String n = e.getName();
                    String base = n.substring(n.lastIndexOf('/') + 1).toUpperCase();
                    if (!e.isDirectory() && n.startsWith("META-INF/") && (base.startsWith("LICENSE")
                            || base.startsWith("NOTICE") || base.startsWith("LICENCE"))) {
                        Path to = dir.resolve(n.substring("META-INF/".length()));
                        Files.createDirectories(to.getParent());
                        try (var in = zip.getInputStream(e)) {
                            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }

        private static Document parse(Path pom) throws Exception {
            var f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            return f.newDocumentBuilder().parse(pom.toFile());
        }

        private static Element child(Element e, String name) {
            if (e == null) {
                return null;
            }
            for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c && c.getTagName().equals(name)) {
                    return c;
                }
            }
            return null;
        }

        private static List<Element> children(Element e, String name) {
            List<Element> found = new ArrayList<>();
            if (e != null) {
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element c && c.getTagName().equals(name)) {
                        found.add(c);
                    }
                }
            }
            return found;
        }

        private static String text(Element e, String name) {
            Element c = child(e, name);
            return c == null ? null : c.getTextContent();
        }
    }

    /**
     * An OCI image (image-spec 1.0) in an image layout, packed as one tar: three layers (system files, the Java
     * runtime, ferry), a config with the entrypoint, user and exposed port, a manifest and {@code index.json}.
     */
    record OciImage(String version, String commit, int port) {
        static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

        void write(Path home, Path image) throws Exception {
            List<Layer> layers = List.of(systemLayer(home), treeLayer("runtime", home.resolve("runtime"),
                    IMAGE_HOME.substring(1) + "/runtime"), appLayer(home));
            String config = config(layers);
            byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
            var manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
                    .append("\"config\":").append(descriptor("application/vnd.oci.image.config.v1+json", configBytes))
                    .append(",\"layers\":[")
                    .append(layers.stream().map(l -> descriptor(LAYER_TYPE, l.gzipped())).collect(Collectors.joining(",")))
                    .append("]}");
            byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
            String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                    + descriptor("application/vnd.oci.image.manifest.v1+json", manifestBytes).replaceFirst("}$",
                    ",\"annotations\":{\"org.opencontainers.image.ref.name\":" + json(version) + "}}") + "]}";
            try (var tar = new Tar(Files.newOutputStream(image))) {
                tar.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), 0644, 0);
                tar.file("index.json", index.getBytes(StandardCharsets.UTF_8), 0644, 0);
                tar.directory("blobs", 0);
                tar.directory("blobs/sha256", 0);
                tar.file("blobs/sha256/" + sha256(manifestBytes), manifestBytes, 0644, 0);
                tar.file("blobs/sha256/" + sha256(configBytes), configBytes, 0644, 0);
                for (Layer l : layers) {
                    tar.file("blobs/sha256/" + sha256(l.gzipped()), l.gzipped(), 0644, 0);
                }
            }
        }

        private String config(List<Layer> layers) {
            String bin = IMAGE_HOME + "/bin";
            return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{"
                    + "\"User\":\"" + USER_ID + ":" + USER_ID + "\","
                    + "\"Entrypoint\":[\"" + bin + "/ferry\"],\"Cmd\":[\"--help\"],"
                    + "\"Env\":[\"PATH=" + bin + ":/bin\",\"HOME=/tmp\"],"
                    + "\"WorkingDir\":\"/tmp\","
                    + "\"ExposedPorts\":{\"" + port + "/tcp\":{}},"
                    + "\"Labels\":{\"org.opencontainers.image.title\":\"ferry\","
                    + "\"org.opencontainers.image.version\":" + json(version) + ","
                    + "\"org.opencontainers.image.revision\":" + json(commit) + "}},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                    + layers.stream().map(l -> "\"sha256:" + sha256(l.tar()) + "\"").collect(Collectors.joining(","))
                    + "]},\"history\":["
                    + layers.stream().map(l -> "{\"created_by\":" + json(l.description()) + "}").collect(Collectors.joining(","))
                    + "]}";
        }

        private static String descriptor(String mediaType, byte[] blob) {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + sha256(blob) + "\",\"size\":"
                    + blob.length + "}";
        }

        private static String json(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        /** /bin/sh, the C libraries of the runtime's executables and native libraries, passwd, group and /tmp. */
        private static Layer systemLayer(Path home) throws Exception {
            Map<String, Path> libraries = new TreeMap<>();
            List<Path> linked = new ArrayList<>(List.of(Path.of("/bin/sh").toRealPath(),
                    home.resolve("runtime/bin/java")));
            try (Stream<Path> all = Files.walk(home.resolve("runtime/lib"))) {
                all.filter(p -> p.toString().endsWith(".so"))
                        .filter(p -> !DESKTOP_LIBRARIES.contains(p.getFileName().toString())).forEach(linked::add);
            }
            for (Path binary : linked) {
                libraries.putAll(sharedLibraries(binary, home));
            }
            var bytes = new ByteArrayOutputStream();
            try (var tar = new Tar(bytes)) {
                for (String dir : List.of("bin", "etc", "lib", "lib64", "usr", "usr/lib")) {
                    tar.directory(dir, 0);
                }
                tar.directory("tmp", 01777, 0);
                tar.file("bin/sh", Files.readAllBytes(Path.of("/bin/sh").toRealPath()), 0755, 0);
                Set<String> dirs = new TreeSet<>(Set.of("bin", "etc", "lib", "lib64", "usr", "usr/lib", "tmp"));
                for (var e : libraries.entrySet()) {
                    String path = e.getKey().substring(1);
                    List<String> missing = new ArrayList<>();
                    for (Path d = Path.of(path).getParent(); d != null && dirs.add(d.toString()); d = d.getParent()) {
                        missing.addFirst(d.toString());
                    }
                    for (String d : missing) {
                        tar.directory(d, 0);
                    }
                    tar.file(path, Files.readAllBytes(e.getValue()), 0755, 0);
                }
                tar.file("etc/passwd", ("root:x:0:0:root:/root:/bin/sh\nferry:x:" + USER_ID + ":" + USER_ID
                        + ":ferry:/tmp:/bin/sh\n").getBytes(StandardCharsets.UTF_8), 0644, 0);
                tar.file("etc/group", ("root:x:0:\nferry:x:" + USER_ID + ":\n").getBytes(StandardCharsets.UTF_8), 0644, 0);
                tar.file("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n"
                        .getBytes(StandardCharsets.UTF_8), 0644, 0);
            }
            return Layer.of("system: /bin/sh, C libraries from the build machine, passwd", bytes.toByteArray());
        }

        /** Libraries {@code binary} loads (by absolute path as the loader finds them), except the runtime's own. */
        private static Map<String, Path> sharedLibraries(Path binary, Path home) throws Exception {
            Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 && !out.contains("not a dynamic executable")) {
                throw new IllegalStateException("ldd " + binary + " failed: " + out);
            }
            Map<String, Path> found = new TreeMap<>();
            for (String line : out.lines().toList()) {
                String l = line.strip();
                if (l.contains("not found") && !bundled(home, l.substring(0, l.indexOf(' ')))) {
                    throw new IllegalStateException(binary + " needs a library the build machine lacks: " + l);
                }
                if (l.contains("not found")) {
                    continue; // the runtime's own (libjvm.so), found by the launcher, not the loader
                }
                String path = l.contains("=>") ? l.substring(l.indexOf("=>") + 2).strip() : l;
                path = path.replaceFirst("\\s*\\(0x[0-9a-f]+\\)$", "");
                if (path.startsWith("/") && !Path.of(path).normalize().startsWith(home)) {
                    found.put(path, Path.of(path).toRealPath());
                }
            }
            return found;
        }

        private static boolean bundled(Path home, String library) throws IOException {
            try (Stream<Path> all = Files.walk(home.resolve("runtime/lib"))) {
                return all.anyMatch(p -> p.getFileName().toString().equals(library));
            }
        }

        private static Layer appLayer(Path home) throws Exception {
            var bytes = new ByteArrayOutputStream();
            try (var tar = new Tar(bytes)) {
                tar.directory("opt", 0);
                tar.directory(IMAGE_HOME.substring(1), 0);
                try (Stream<Path> top = Files.list(home)) {
                    for (Path p : top.sorted().toList()) {
                        if (!p.getFileName().toString().equals("runtime")) {
                            tar.addTree(p, IMAGE_HOME.substring(1) + "/" + p.getFileName(), 0);
                        }
                    }
                }
            }
            return Layer.of("ferry: launcher, module path, README, licence notices", bytes.toByteArray());
        }

        private static Layer treeLayer(String what, Path tree, String at) throws Exception {
            var bytes = new ByteArrayOutputStream();
            try (var tar = new Tar(bytes)) {
                tar.addTree(tree, at, 0);
            }
            return Layer.of(what + ": the Java runtime (jlink)", bytes.toByteArray());
        }
    }

    /** A layer: its uncompressed tar (hashed for the config's diff_ids) and the gzipped blob. */
    record Layer(String description, byte[] tar, byte[] gzipped) {
        static Layer of(String description, byte[] tar) throws IOException {
            var gz = new ByteArrayOutputStream();
            try (var out = new GZIPOutputStream(gz)) {
                out.write(tar);
            }
            return new Layer(description, tar, gz.toByteArray());
        }
    }

    /**
     * A POSIX tar writer (ustar headers, a PAX header for names longer than ustar holds): files, directories and
     * symbolic links, owned by {@code uid}:{@code uid}, with the modes given (trees keep each file's executable bit).
     */
    static final class Tar implements AutoCloseable {
        private final OutputStream out;
        private final long mtime = System.currentTimeMillis() / 1000;

        Tar(OutputStream out) {
            this.out = out;
        }

        void addTree(Path root, String at, int uid) throws IOException {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(root)) {
                all = walk.sorted().toList();
            }
            for (Path p : all) {
                String name = root.relativize(p).toString();
                String entry = name.isEmpty() ? at : at + "/" + name;
                if (Files.isSymbolicLink(p)) {
                    entry(entry, '2', 0777, uid, new byte[0], Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p)) {
                    directory(entry, uid);
                } else {
                    file(entry, Files.readAllBytes(p), Files.isExecutable(p) ? 0755 : 0644, uid);
                }
            }
        }

        void directory(String name, int mode, int uid) throws IOException {
            entry(name + "/", '5', mode, uid, new byte[0], "");
        }

        void directory(String name, int uid) throws IOException {
            directory(name, 0755, uid);
        }

        void file(String name, byte[] content, int mode, int uid) throws IOException {
            entry(name, '0', mode, uid, content, "");
        }

        private void entry(String name, char type, int mode, int uid, byte[] content, String link) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100 || link.length() > 100) {
                var pax = new StringBuilder();
                if (nameBytes.length > 100) {
                    pax.append(paxRecord("path", name));
                }
                if (link.length() > 100) {
                    pax.append(paxRecord("linkpath", link));
                }
                byte[] paxBytes = pax.toString().getBytes(StandardCharsets.UTF_8);
                header("PaxHeader", 'x', 0644, 0, paxBytes.length, "");
                body(paxBytes);
                name = name.substring(Math.max(0, name.length() - 99)).replaceFirst("^[^/]*/", "");
                link = link.length() > 100 ? "" : link;
            }
            header(name, type, mode, uid, content.length, link);
            body(content);
        }

        private static String paxRecord(String key, String value) {
            String rest = " " + key + "=" + value + "\n";
            int restLength = rest.getBytes(StandardCharsets.UTF_8).length;
            int length = restLength + String.valueOf(restLength).length();
            if (String.valueOf(length).length() != String.valueOf(restLength).length()) {
                length++;
            }
            return length + rest;
        }

        private void header(String name, char type, int mode, int uid, long size, String link) throws IOException {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, octal(mode, 7));
            put(h, 108, 8, octal(uid, 7));
            put(h, 116, 8, octal(uid, 7));
            put(h, 124, 12, octal(size, 11));
            put(h, 136, 12, octal(mtime, 11));
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, octal(sum, 6) + "\0 ");
            out.write(h);
        }

        private void body(byte[] content) throws IOException {
            out.write(content);
            int pad = (512 - content.length % 512) % 512;
            out.write(new byte[pad]);
        }

        private static String octal(long value, int digits) {
            String s = Long.toOctalString(value);
            return "0".repeat(Math.max(0, digits - s.length())) + s;
        }

        private static void put(byte[] h, int at, int length, String value) {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, at, Math.min(length, b.length));
        }

        @Override
        public void close() throws IOException {
            out.write(new byte[1024]);
            out.close();
        }
    }

    private Release() {
    }
}
