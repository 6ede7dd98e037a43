package io.ferry.core.sql;

import java.nio.charset.StandardCharsets;

/** Quoting of SQL identifiers and plain string literals for MySQL and MariaDB. */
public final class Sql {
    private Sql() {
    }

    /** {@code order} becomes {@code `order`}; a backtick inside the name is doubled. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /**
     * A single-quoted string literal safe under any {@code sql_mode}: quotes are doubled and backslashes are
     * written as hex escapes would be unsafe here, so strings with a backslash or control bytes are hex-encoded.
     */
    public static String string(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c < 0x20) {
                return "CONVERT(X'" + hex(value.getBytes(StandardCharsets.UTF_8)) + "' USING utf8mb4)";
            }
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static String hex(byte[] bytes) {
        var out = new StringBuilder(bytes.length * 2);
        appendHex(out, bytes);
        return out.toString();
    }

    public static void appendHex(StringBuilder out, byte[] bytes) {
        // Through a char array: one capacity check per chunk instead of two per byte.
        char[] chunk = new char[2 * Math.min(bytes.length, 4096)];
        for (int from = 0; from < bytes.length; from += chunk.length / 2) {
            int to = Math.min(bytes.length, from + chunk.length / 2);
            int n = 0;
            for (int i = from; i < to; i++) {
                byte b = bytes[i];
                chunk[n++] = HEX[(b >> 4) & 0xF];
                chunk[n++] = HEX[b & 0xF];
            }
            out.append(chunk, 0, n);
        }
    }
}
