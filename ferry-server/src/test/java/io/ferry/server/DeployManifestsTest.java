package io.ferry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.config.ConfigLoader;
import io.ferry.core.config.CopydbConfig;
import io.ferry.core.config.Partition;
import io.ferry.core.config.Secret;
import io.ferry.core.control.RunPhase;
import io.ferry.core.control.WriterState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes examples in deploy/: well-formed YAML, a ConfigMap that ferry loads as a valid config (state in
 * the target, passwords from the Secret's files), and probes, ports and mounts that match ferry's real routes and
 * the config: each probe path is asked of a real control server.
 */
class DeployManifestsTest {
    /** The user the image runs as (ferry-cli/src/dist/Release.java). */
    private static final long IMAGE_USER = 65532;
    private static final List<Map<String, Object>> documents = new ArrayList<>();
    /** deploy/partitioned/: one move split across the pods of an Indexed Job. */
    private static final List<Map<String, Object>> partitioned = new ArrayList<>();
    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        Path deploy = Path.of(System.getProperty("user.dir")).resolveSibling("deploy");
        documents.addAll(load(deploy));
        partitioned.addAll(load(deploy.resolve("partitioned")));
    }

    private static List<Map<String, Object>> load(Path deploy) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(deploy)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no manifests in " + deploy);
        for (Path file : files) {
            for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                assertTrue(doc instanceof Map, file + ": every document is an object");
                Map<String, Object> m = map(doc);
                for (String key : List.of("apiVersion", "kind", "metadata")) {
                    assertNotNull(m.get(key), file + ": " + key + " is missing");
                }
                assertNotNull(map(m.get("metadata")).get("name"), file + ": metadata.name is missing");
                documents.add(m);
            }
        }
        return documents;
    }

    @Test
    void theConfigMapIsAValidConfigWithItsStateInTheTargetAndPasswordsFromTheSecret() throws IOException {
        CopydbConfig config = config();
        assertNotNull(config.state().resumeStateFromDb(), "a replaced pod resumes from the target: ResumeStateFromDB");
        assertTrue(config.state().forceResumeStateUpdatesToDb());
        assertTrue(configJson().contains("\"MyServerId\""), "the state tables are named after MyServerId: fix it");
        assertFalse(config.automaticCutover(), "the example waits for the operator's cutover");
        assertTrue(config.controlServer().enabled());
        assertEquals("0.0.0.0", config.controlServer().host(), "probes and the Service reach the pod's address");
        assertEquals(secretValue("source"), config.source().password().value());
        assertEquals(secretValue("target"), config.target().password().value());
        assertFalse(configJson().contains("\"Pass\""), "no password in the ConfigMap");
    }

    @Test
    void theJobMountsTheConfigAndSecretWhereTheConfigLooksAndRunsAsTheImageUser() {
        Map<String, Object> job = kind("Job");
        Map<String, Object> pod = map(map(map(job.get("spec")).get("template")).get("spec"));
        assertEquals("Never", pod.get("restartPolicy"));
        Map<String, Object> security = map(pod.get("securityContext"));
        assertEquals(true, security.get("runAsNonRoot"));
        assertEquals(IMAGE_USER, ((Number) security.get("runAsUser")).longValue());
        Map<String, Object> container = container();
        List<String> args = strings(container.get("args"));
        assertEquals("copydb", args.get(0));
        String configPath = args.getLast();
        Map<String, Object> configMount = mount(configPath);
        assertEquals("copydb.json", configMount.get("subPath"));
        assertEquals("ConfigMap", volumeKind(pod, (String) configMount.get("name")));
        Map<String, Object> secretMount = mount(configJson().replaceAll("(?s).*\"PassFromFile\": \"([^\"]*)\".*", "$1"));
        assertEquals("Secret", volumeKind(pod, (String) secretMount.get("name")));
        assertEquals(true, map(container.get("securityContext")).get("readOnlyRootFilesystem"));
        assertEquals("emptyDir", volumeKind(pod, (String) mount("/tmp").get("name")),
                "a writable /tmp beside the read-only root (the JVM and the compression natives write there)");
    }

    @Test
    void probesAndTheServiceUseFerrysRoutesAndControlPort() throws Exception {
        Map<String, Object> container = container();
        Map<String, Object> port = map(((List<?>) container.get("ports")).getFirst());
        int controlPort = ((Number) port.get("containerPort")).intValue();
        assertEquals(config().controlServer().port(), controlPort, "containerPort is the config's ServerBindAddr port");
        Map<String, Object> servicePort = map(((List<?>) map(kind("Service").get("spec")).get("ports")).getFirst());
        assertTrue(List.of(port.get("name"), controlPort).contains(servicePort.get("targetPort")), servicePort.toString());

        String liveness = probePath(container, "livenessProbe", port);
        assertTrue(liveness.matches("/api/health\\?BinlogWriterStateTsAgeMs=\\d+"), liveness);
        assertEquals("/api/ready", probePath(container, "readinessProbe", port));
        assertEquals("/api/ready", probePath(container, "startupProbe", port));

        // Each probe asked of a real control server, as the kubelet would.
        var control = new FakeControl();
        try (var server = ControlServer.start(control, new ControlServerSettings("0.0.0.0", 0, Secret.NONE, "t"))) {
            assertEquals(200, get(server, liveness));
            assertEquals(200, get(server, "/api/ready"));
            control.writerStateAt = control.now.minusSeconds(120);
            assertEquals(500, get(server, liveness), "an applier stuck for two minutes fails liveness");
            control.writerState = WriterState.INIT;
            control.phase = RunPhase.STARTING;
            assertEquals(503, get(server, "/api/ready"), "not ready before the binlog streams");
        }
    }

    @Test
    void theIndexedJobGivesEachPodItsCompletionIndexAsItsPartitionOfOneSharedConfig() throws IOException {
        Map<String, Object> job = kind(partitioned, "Job");
        Map<String, Object> spec = map(job.get("spec"));
        assertEquals("Indexed", spec.get("completionMode"));
        int workers = ((Number) spec.get("completions")).intValue();
        assertEquals(workers, ((Number) spec.get("parallelism")).intValue(), "the cutover waits for every worker");
        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        assertEquals("Never", pod.get("restartPolicy"));
        Map<String, Object> container = map(((List<?>) pod.get("containers")).getFirst());
        List<String> args = strings(container.get("args"));
        assertEquals(List.of("copydb", "--partition", "$(JOB_COMPLETION_INDEX)/" + workers), args.subList(0, 3),
                "each pod copies the part its JOB_COMPLETION_INDEX names, of as many parts as completions");
        Map<String, Object> index = ((List<?>) container.get("env")).stream().map(DeployManifestsTest::map)
                .filter(e -> "JOB_COMPLETION_INDEX".equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("JOB_COMPLETION_INDEX must be in env for $(...) in args"));
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                map(map(index.get("valueFrom")).get("fieldRef")).get("fieldPath"));

        String configPath = args.getLast();
        Map<String, Object> configMount = ((List<?>) container.get("volumeMounts")).stream()
                .map(DeployManifestsTest::map).filter(m -> configPath.equals(m.get("mountPath"))).findFirst().orElseThrow();
        String configMapName = ((List<?>) pod.get("volumes")).stream().map(DeployManifestsTest::map)
                .filter(v -> configMount.get("name").equals(v.get("name"))).map(v -> map(v.get("configMap")))
                .findFirst().orElseThrow().get("name").toString();
        Map<String, Object> configMap = kind(partitioned, "ConfigMap");
        assertEquals(map(configMap.get("metadata")).get("name"), configMapName);
        String secretName = ((List<?>) pod.get("volumes")).stream().map(DeployManifestsTest::map)
                .filter(v -> v.containsKey("secret")).map(v -> String.valueOf(map(v.get("secret")).get("secretName")))
                .findFirst().orElseThrow();
        assertEquals(map(kind("Secret").get("metadata")).get("name"), secretName, "the Secret of deploy/secret.yaml");

        String json = (String) map(configMap.get("data")).get("copydb.json");
        assertFalse(json.contains("\"Partition\""), "the part comes from the pod's index, not the shared config");
        Path secrets = Files.createDirectories(dir.resolve("partitioned-secrets"));
        for (var e : map(kind("Secret").get("stringData")).entrySet()) {
            Files.writeString(secrets.resolve(e.getKey()), (String) e.getValue());
        }
        CopydbConfig config = ConfigLoader.parse(json.replace("\"/etc/ferry/secrets/", "\"" + secrets + "/"), Map.of(),
                dir);
        assertNotNull(config.state().resumeStateFromDb(), "the workers meet in the state tables on the target");
        assertTrue(config.myServerId() != 0, "MyServerId names the move and the workers' state tables");
        assertTrue(config.automaticCutover(), "the move cuts over by itself once every worker is caught up");
        assertNotNull(config.cutoverLock());
        assertNotNull(config.cutoverUnlock());
        Map<String, Object> port = map(((List<?>) container.get("ports")).getFirst());
        assertEquals(config.controlServer().port(), ((Number) port.get("containerPort")).intValue());
        String liveness = probePath(container, "livenessProbe", port);
        assertTrue(liveness.matches("/api/health\\?BinlogWriterStateTsAgeMs=\\d+"), liveness);
        assertEquals("/api/ready", probePath(container, "readinessProbe", port));
        assertEquals("/api/ready", probePath(container, "startupProbe", port));
        Set<Long> serverIds = new HashSet<>();
        Set<String> stateKeys = new HashSet<>();
        for (int i = 0; i < workers; i++) {
            String partition = args.get(2).replace("$(JOB_COMPLETION_INDEX)", Integer.toString(i));
            Partition p = Partition.parse(partition);
            assertNotNull(p, partition + ": " + Partition.problem(partition));
            CopydbConfig worker = config.withPartition(p);
            serverIds.add(worker.replicationServerId());
            stateKeys.add(worker.stateKey());
        }
        assertEquals(workers, serverIds.size(), "each worker streams with its own server id");
        assertEquals(workers, stateKeys.size(), "each worker keeps its own state");
    }

    private static String probePath(Map<String, Object> container, String probe, Map<String, Object> port) {
        Map<String, Object> http = map(map(container.get(probe)).get("httpGet"));
        assertNotNull(http, probe + " must be an httpGet");
        assertTrue(List.of(port.get("name"), port.get("containerPort")).contains(http.get("port")), probe + " port");
        return (String) http.get("path");
    }

    private static int get(ControlServer server, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The ConfigMap's config loaded by ferry, the Secret's files laid out where the config names them. */
    private CopydbConfig config() throws IOException {
        String json = configJson();
        Map<String, Object> secretMount = mount(json.replaceAll("(?s).*\"PassFromFile\": \"([^\"]*)\".*", "$1"));
        String mountPath = (String) secretMount.get("mountPath");
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        for (var e : map(kind("Secret").get("stringData")).entrySet()) {
            Files.writeString(secrets.resolve(e.getKey()), (String) e.getValue());
        }
        return ConfigLoader.parse(json.replace("\"" + mountPath + "/", "\"" + secrets + "/"), Map.of(), dir);
    }

    private static String configJson() {
        return (String) map(kind("ConfigMap").get("data")).get("copydb.json");
    }

    private static String secretValue(String key) {
        return (String) map(kind("Secret").get("stringData")).get(key);
    }

    private static Map<String, Object> container() {
        Map<String, Object> pod = map(map(map(kind("Job").get("spec")).get("template")).get("spec"));
        return map(((List<?>) pod.get("containers")).getFirst());
    }

    /** The container's volume mount that holds {@code path}. */
    private static Map<String, Object> mount(String path) {
        for (Object m : (List<?>) container().get("volumeMounts")) {
            String at = (String) map(m).get("mountPath");
            if (path.equals(at) || path.startsWith(at + "/")) {
                return map(m);
            }
        }
        throw new AssertionError("no volume is mounted at " + path);
    }

    private static String volumeKind(Map<String, Object> pod, String name) {
        for (Object v : (List<?>) pod.get("volumes")) {
            Map<String, Object> volume = map(v);
            if (name.equals(volume.get("name"))) {
                return volume.containsKey("configMap") ? "ConfigMap" : volume.containsKey("secret") ? "Secret"
                        : volume.containsKey("emptyDir") ? "emptyDir" : "other";
            }
        }
        throw new AssertionError("no volume named " + name);
    }

    private static Map<String, Object> kind(String kind) {
        return kind(documents, kind);
    }

    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/ has no " + kind));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(String::valueOf).toList();
    }
}
