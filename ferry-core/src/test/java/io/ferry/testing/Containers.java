package io.ferry.testing;

import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/** Two MySQL 8.4 containers configured like the local pair, for machines with a Docker engine. */
final class Containers {
    private Containers() {
    }

    /** Started source and target, or {@code null} when no Docker engine answers. */
    static List<ServerEndpoint> startIfDockerAvailable() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            docker = false;
        }
        if (!docker) {
            return null;
        }
        return List.of(start("source", 1), start("target", 2));
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static ServerEndpoint start(String role, int serverId) {
        var container = new MySQLContainer("mysql:8.4")
                .withUsername("ferry")
                .withPassword("ferry-test-pw")
                .withCommand("--server-id=" + serverId, "--log-bin=binlog", "--binlog-format=ROW",
                        "--binlog-row-image=FULL", "--binlog-row-metadata=FULL", "--gtid-mode=ON",
                        "--enforce-gtid-consistency=ON", "--default-time-zone=+05:45");
        container.start();
        return new ServerEndpoint(role, container.getHost(), container.getMappedPort(3306), "root",
                container.getPassword(), "root", container.getPassword());
    }
}
