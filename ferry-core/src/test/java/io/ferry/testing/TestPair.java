package io.ferry.testing;

import io.ferry.core.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The source and target of one test class, with a database name unique to that class (and run) on each side.
 * {@link #newDatabase} hands out further unique names, all dropped with the class.
 */
public final class TestPair {
    private final TestServer source;
    private final TestServer target;
    private final String database;
    private final List<String> created = new ArrayList<>();

    TestPair(TestServer source, TestServer target, String baseName) {
        this.source = source;
        this.target = target;
        this.database = newDatabase(baseName);
    }

    public TestServer source() {
        return source;
    }

    public TestServer target() {
        return target;
    }

    /** This class's database name; it exists, empty, on the source; it does not exist on the target. */
    public String database() {
        return database;
    }

    /** {@code database().table} */
    public TableId table(String name) {
        return new TableId(database, name);
    }

    /**
     * A new unique database name derived from {@code hint}, created empty on the source and absent on the target.
     * Both are dropped after the class.
     */
    public synchronized String newDatabase(String hint) {
        String clean = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.length() > 30) {
            clean = clean.substring(0, 30);
        }
        String name = "ft_" + clean + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        source.exec("DROP DATABASE IF EXISTS `" + name + "`", "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        target.exec("DROP DATABASE IF EXISTS `" + name + "`");
        created.add(name);
        return name;
    }

    /** Records a database name (for example a rewrite target) to drop on both sides after the class. */
    public synchronized void dropAfterwards(String name) {
        created.add(name);
    }

    /** Asserts that {@code table} holds the same rows on both sides; see {@link TableComparison}. */
    public void assertIdentical(String table) {
        TableComparison.assertIdentical(source, table(table), target, table(table));
    }

    /**
     * Asserts that {@code database.table} holds the same rows on both sides, JSON values compared as JSON (each
     * engine prints a document its own way), everything else byte for byte.
     */
    public void assertEquivalent(String database, String table) {
        TableId id = new TableId(database, table);
        TableComparison.assertIdentical(source, id, target, id, true);
    }

    /** Asserts that {@code database.table} holds the same rows on both sides. */
    public void assertIdentical(String database, String table) {
        TableId id = new TableId(database, table);
        TableComparison.assertIdentical(source, id, target, id);
    }

    synchronized void dropAll() {
        for (String name : created) {
            source.exec("DROP DATABASE IF EXISTS `" + name + "`");
            target.exec("DROP DATABASE IF EXISTS `" + name + "`");
        }
        created.clear();
    }
}
