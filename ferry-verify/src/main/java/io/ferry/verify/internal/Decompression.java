package io.ferry.verify.internal;

import io.ferry.core.RunFailed;
import io.ferry.core.TableId;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.xerial.snappy.Snappy;

/** Fingerprints of compressed column values, taken over the decompressed bytes (SNAPPY is the only compression). */
final class Decompression {
    private Decompression() {
    }

    /** MD5 (hex) of the decompressed {@code value}; "" for NULL. */
    static String fingerprint(TableId table, String column, byte[] value) {
        if (value == null) {
            return "";
        }
        byte[] plain;
        try {
            plain = Snappy.uncompress(value);
        } catch (IOException e) {
            throw new RunFailed(table + "." + column + " is configured as SNAPPY-compressed but holds a value that "
                    + "does not decompress (" + e.getMessage() + "); fix CompressedColumnsForVerification", e);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(plain));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
