package io.ferry.copy.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.TableId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CreationOrderTest {
    private static TableId t(String name) {
        return new TableId("db", name);
    }

    private static Map<TableId, Set<TableId>> refs(Object... pairs) {
        Map<TableId, Set<TableId>> refs = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            refs.put(t((String) pairs[i]), Set.copyOf(((List<?>) pairs[i + 1]).stream().map(n -> t((String) n)).toList()));
        }
        return refs;
    }

    @Test
    void referencedTablesComeFirst() {
        var refs = refs("child", List.of("parent"), "parent", List.of(), "grandchild", List.of("child"));
        assertEquals(List.of(t("parent"), t("child"), t("grandchild")), CreationOrder.order(refs, List.of()));
    }

    @Test
    void aCycleIsBrokenAtItsFirstTableInInputOrderAndTheRestFollowTheirReferences() {
        // Sakila's shape: address <- store <-> staff, staff -> address, customer -> store.
        var refs = refs("address", List.of(), "customer", List.of("store", "address"),
                "staff", List.of("store", "address"), "store", List.of("staff", "address"));
        assertEquals(List.of(t("address"), t("staff"), t("store"), t("customer")), CreationOrder.order(refs, List.of()));
        // The same input gives the same order every time, and a named first table wins.
        assertEquals(CreationOrder.order(refs, List.of()), CreationOrder.order(refs, List.of()));
        assertEquals(List.of(t("store"), t("address"), t("customer"), t("staff")),
                CreationOrder.order(refs, List.of(t("store"))));
    }

    @Test
    void aTableThatOnlyWaitsForACycleIsNotWhereTheCycleBreaks() {
        // "a" references the cycle b <-> c but is not on it, so the cycle breaks at b, not at a.
        var refs = refs("a", List.of("b"), "b", List.of("c"), "c", List.of("b"));
        assertEquals(List.of(t("b"), t("a"), t("c")), CreationOrder.order(refs, List.of()));
    }
}
