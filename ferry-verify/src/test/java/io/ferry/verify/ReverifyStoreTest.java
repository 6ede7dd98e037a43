package io.ferry.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.core.TableId;
import io.ferry.verify.internal.KeyText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReverifyStoreTest {
    private static final TableId T = new TableId("shop", "orders");

    @Test
    void keysOfEveryShapeSurviveTheTextForm() {
        List<byte[]> key = List.of("é, 7".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[] {0, (byte) 0xff});
        List<byte[]> back = KeyText.decode(KeyText.encode(key));
        assertEquals(3, back.size());
        for (int i = 0; i < key.size(); i++) {
            assertArrayEquals(key.get(i), back.get(i));
        }
    }

    @Test
    void aSnapshotRestoresIntoAnotherStore() {
        var store = new ReverifyStore();
        store.add(T, "3432");
        store.add(T, "3432");
        store.add(new TableId("shop", "items"), "61,37");
        Map<String, List<String>> snapshot = store.snapshot();
        assertEquals(Map.of("shop.orders", List.of("3432"), "shop.items", List.of("61,37")), snapshot);
        var resumed = new ReverifyStore();
        resumed.restore(snapshot);
        assertEquals(snapshot, resumed.snapshot());
        assertEquals(2, resumed.size());
    }

    @Test
    void aKeyAddedAgainWhileBeingVerifiedStays() {
        var store = new ReverifyStore();
        store.add(T, "31");
        long version = store.pending().get(T).get("31");
        store.add(T, "31"); // changed again by the binlog during the verification
        store.removeVerified(T, "31", version);
        assertEquals(1, store.size());
        store.removeVerified(T, "31", store.pending().get(T).get("31"));
        assertEquals(0, store.size());
    }

    @Test
    void aRenamedTableTakesItsWaitingKeysAlong() {
        var store = new ReverifyStore();
        store.add(T, "31");
        store.add(T, "32");
        var renamed = new TableId("shop", "orders_v2");
        store.addAll(renamed, store.removeTable(T));
        assertEquals(Map.of("shop.orders_v2", List.of("31", "32")), store.snapshot());
        assertEquals(Map.of(), store.removeTable(T), "nothing is left under the old name");
        store.removeTable(renamed);
        assertEquals(0, store.size());
    }
}
