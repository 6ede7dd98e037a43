package io.ferry.copy.internal.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.copy.internal.preflight.TablePartitioner.Part;
import io.ferry.core.TableId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TablePartitionerTest {
    private static TableId t(String name) {
        return new TableId("shop", name);
    }

    @Test
    void largestFirstEachToThePartWithTheFewestBytes() {
        Map<TableId, Long> sizes = Map.of(t("orders"), 900L, t("items"), 500L, t("users"), 400L, t("notes"), 300L,
                t("tags"), 100L);
        List<Part> parts = TablePartitioner.split(sizes, 2);
        // orders -> 0; items, users -> 1 (900 each); notes -> 0 (a tie goes to the lower index); tags -> 1.
        assertEquals(List.of(t("orders"), t("notes")), parts.get(0).tables());
        assertEquals(List.of(t("items"), t("users"), t("tags")), parts.get(1).tables());
        assertEquals(1200, parts.get(0).bytes());
        assertEquals(1000, parts.get(1).bytes());
    }

    @Test
    void theSameTablesAndSizesGiveTheSameSplitInAnyOrder() {
        Map<TableId, Long> sizes = new LinkedHashMap<>();
        var random = new Random(7);
        for (int i = 0; i < 40; i++) {
            sizes.put(t("t" + i), (long) random.nextInt(5) * 1000); // many equal sizes: the name breaks ties
        }
        List<Part> first = TablePartitioner.split(sizes, 3);
        List<Map.Entry<TableId, Long>> shuffled = new ArrayList<>(sizes.entrySet());
        Collections.shuffle(shuffled, new Random(1));
        Map<TableId, Long> reordered = new LinkedHashMap<>();
        shuffled.forEach(e -> reordered.put(e.getKey(), e.getValue()));
        assertEquals(first, TablePartitioner.split(reordered, 3));

        Set<TableId> all = new HashSet<>();
        first.forEach(p -> p.tables().forEach(table -> assertTrue(all.add(table), table + " is in two parts")));
        assertEquals(sizes.keySet(), all, "every table is in exactly one part");
        long max = first.stream().mapToLong(Part::bytes).max().orElseThrow();
        long min = first.stream().mapToLong(Part::bytes).min().orElseThrow();
        assertTrue(max - min <= 4000, "parts differ by at most the largest table: " + first);
    }

    @Test
    void morePartsThanTablesLeavesSomeEmptyAndOnePartIsEverything() {
        List<Part> parts = TablePartitioner.split(Map.of(t("a"), 10L, t("b"), 20L), 3);
        assertEquals(List.of(t("b")), parts.get(0).tables());
        assertEquals(List.of(t("a")), parts.get(1).tables());
        assertEquals(List.of(), parts.get(2).tables());
        assertEquals(List.of(t("b"), t("a")), TablePartitioner.split(Map.of(t("a"), 10L, t("b"), 20L), 1).get(0).tables());
        assertThrows(IllegalArgumentException.class, () -> TablePartitioner.split(Map.of(), 0));
    }
}
