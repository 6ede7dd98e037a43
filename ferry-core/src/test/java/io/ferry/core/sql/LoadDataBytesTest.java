package io.ferry.core.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The field escaping of LOAD DATA batches, which scans eight bytes at a time, against a byte-by-byte reference. */
class LoadDataBytesTest {
    private static final byte[] SPECIAL = {'\\', '\t', '\n', 0};

    @Test
    void eachSpecialByteIsEscapedAtEveryPositionOfAWord() {
        for (byte special : SPECIAL) {
            for (int length = 1; length <= 24; length++) {
                for (int at = 0; at < length; at++) {
                    byte[] value = new byte[length];
                    Arrays.fill(value, (byte) 'a');
                    value[at] = special;
                    assertArrayEquals(reference(value), escaped(value), "byte " + special + " at " + at + " of " + length);
                }
            }
        }
    }

    @Test
    void bytesNearTheSpecialOnesAndHighBytesAreLeftAlone() {
        // 0x01 and 0x80-0xFF are where a word-at-a-time zero test goes wrong when written carelessly.
        byte[] value = new byte[256];
        for (int i = 0; i < 256; i++) {
            value[i] = (byte) i;
        }
        assertArrayEquals(reference(value), escaped(value));
        byte[] near = {0x01, 0x5B, 0x5D, 0x08, 0x0B, (byte) 0x80, (byte) 0xFF, 0x01, 0x5C};
        assertArrayEquals(reference(near), escaped(near));
    }

    @Test
    void randomValuesMatchTheReference() {
        var random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            byte[] value = new byte[random.nextInt(70)];
            random.nextBytes(value);
            for (int k = random.nextInt(4); k > 0 && value.length > 0; k--) {
                value[random.nextInt(value.length)] = SPECIAL[random.nextInt(SPECIAL.length)];
            }
            assertArrayEquals(reference(value), escaped(value), () -> Arrays.toString(value));
        }
    }

    @Test
    void valuesAppendedOneAfterAnotherKeepTheirOrder() {
        var out = new LoadDataRows.Bytes(1);
        out.escaped("tab\there".getBytes(StandardCharsets.UTF_8));
        out.put((byte) '|');
        out.escaped("a\\b\nc é".getBytes(StandardCharsets.UTF_8));
        assertEquals("tab\\there|a\\\\b\\nc é", new String(out.array(), 0, out.size(), StandardCharsets.UTF_8));
    }

    private static byte[] escaped(byte[] value) {
        var out = new LoadDataRows.Bytes(1);
        out.escaped(value);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] reference(byte[] value) {
        var out = new ByteArrayOutputStream();
        for (byte b : value) {
            switch (b) {
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case 0 -> out.writeBytes(new byte[] {'\\', '0'});
                default -> out.write(b);
            }
        }
        return out.toByteArray();
    }
}
