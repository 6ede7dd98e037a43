package io.ferry.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionTest {
    private static CopydbConfig parse(String extra) {
        String json = ("{'Source': {'Host': 'src', 'User': 'u'}, 'Target': {'Host': 'tgt', 'User': 'u'}"
                + (extra.isEmpty() ? "" : ", " + extra) + "}").replace('\'', '"');
        return ConfigLoader.parse(json, Map.of(), Path.of("."));
    }

    @Test
    void iOfNCountsPartsFromZero() {
        assertEquals(new Partition(0, 3), Partition.parse("0/3"));
        assertEquals(new Partition(2, 3), Partition.parse(" 2 / 3 "));
        assertEquals("2/3", new Partition(2, 3).toString());
        assertTrue(Partition.parse("0/1").isWhole());
    }

    @Test
    void badPartsSayWhatIsWrongAndWhatIsMeant() {
        assertTrue(Partition.problem("3/3").contains("numbered from 0"), Partition.problem("3/3"));
        assertTrue(Partition.problem("0/0").contains("0 parts"), Partition.problem("0/0"));
        assertTrue(Partition.problem("0/257").contains("257 parts"), Partition.problem("0/257"));
        for (String bad : List.of("", "1", "1/", "-1/3", "a/b", "1/3/4")) {
            assertTrue(Partition.problem(bad).contains("e.g. 0/3"), bad);
            assertNull(Partition.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new Partition(3, 3));
    }

    @Test
    void theConfigKeyPartitionAndItsDefault() {
        assertEquals(Partition.WHOLE, parse("").partition());
        assertEquals(new Partition(1, 4), parse("'Partition': '1/4'").partition());
        assertEquals(new Partition(0, 2), parse("").withPartition(new Partition(0, 2)).partition());
        List<String> problems = assertThrows(ConfigException.class, () -> parse("'Partition': '4/4'")).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("Partition = \"4/4\""), problems.toString());
        assertThrows(ConfigException.class, () -> parse("'Partition': 2"), "a number is not I/N");
    }

    @Test
    void eachWorkerStreamsAsItsOwnReplicaAndKeepsItsOwnState() {
        CopydbConfig config = parse("'MyServerId': 500");
        assertEquals(500, config.replicationServerId());
        assertEquals("500", config.stateKey(), "a whole run keeps the state tables it always had");
        CopydbConfig worker = config.withPartition(new Partition(2, 3));
        assertEquals(502, worker.replicationServerId());
        assertEquals("500_part2", worker.stateKey());
        assertEquals(0, parse("").withPartition(new Partition(2, 3)).replicationServerId(), "0 stays random");
    }

    @Test
    void theWaitForAMissingWorkerIsConfigurable() {
        assertEquals(Defaults.PARTITION_WORKER_TIMEOUT, parse("").partitionWorkerTimeout());
        assertEquals(java.time.Duration.ofSeconds(90), parse("'PartitionWorkerTimeoutSeconds': 90")
                .withPartition(new Partition(0, 2)).partitionWorkerTimeout());
        List<String> problems = assertThrows(ConfigException.class,
                () -> parse("'PartitionWorkerTimeoutSeconds': 0")).problems();
        assertTrue(problems.getFirst().startsWith("PartitionWorkerTimeoutSeconds = 0"), problems.toString());
    }
}
