package io.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What this ferry is: the release version and the commit it was built from (both written into the jar by the
 * build), and the Java runtime it runs on. {@code ferry --version}, the status page and {@code /api/status}
 * ({@code GhostferryVersion}) all show {@link #describe()}.
 */
record BuildInfo(String version, String commit, String jdk) {
    private static final String UNKNOWN = "unknown";

    static BuildInfo current() {
        return new BuildInfo(property("version.properties", "version"), property("commit.properties", "commit"),
                Runtime.version() + " " + System.getProperty("java.vendor", ""));
    }

    /** e.g. {@code 0.1.0 (commit 6070ad8c1f2e, JDK 25.0.3+9-LTS Eclipse Adoptium)}. */
    String describe() {
        return version + " (commit " + commit + ", JDK " + jdk.strip() + ")";
    }

    private static String property(String resource, String key) {
        try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
            if (in == null) {
                return UNKNOWN;
            }
            var p = new Properties();
            p.load(in);
            return p.getProperty(key, UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
