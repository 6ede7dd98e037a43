package io.ferry.copy.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.core.TableId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CascadingForeignKeysTest {
    private static final TableId STORE = new TableId("sakila", "store");
    private static final TableId STAFF = new TableId("sakila", "staff");
    private static final TableId PAYMENT = new TableId("sakila", "payment");

    @Test
    void aChildWaitsForItsParent() {
        var cascades = new CascadingForeignKeys(Map.of(STAFF, Set.of(PAYMENT)));
        var waits = cascades.copyWaits(List.of(STAFF, PAYMENT));
        assertEquals(Set.of(STAFF), waits.get(PAYMENT));
        assertEquals(Set.of(), waits.get(STAFF));
    }

    @Test
    void tablesThatCascadeIntoEachOtherWaitInCopyOrderOnly() {
        // Sakila: store and staff reference each other ON UPDATE CASCADE; staff cascades into payment too.
        var cascades = new CascadingForeignKeys(Map.of(STORE, Set.of(STAFF, STORE, PAYMENT), STAFF, Set.of(STORE, STAFF, PAYMENT)));
        var waits = cascades.copyWaits(List.of(STAFF, STORE, PAYMENT));
        assertEquals(Set.of(), waits.get(STAFF));
        assertEquals(Set.of(STAFF), waits.get(STORE));
        assertEquals(Set.of(STAFF, STORE), waits.get(PAYMENT));
        assertAcyclic(waits);
    }

    private static void assertAcyclic(Map<TableId, Set<TableId>> waits) {
        Set<TableId> done = new HashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (var e : waits.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
                    done.add(e.getKey());
                    progress = true;
                }
            }
        }
        assertTrue(done.containsAll(waits.keySet()), "every copy can start: " + waits);
    }
}
