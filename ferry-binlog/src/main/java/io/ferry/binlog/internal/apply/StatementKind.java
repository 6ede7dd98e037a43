package io.ferry.binlog.internal.apply;

import java.util.Locale;
import java.util.Set;

/** What a statement logged as text (a QUERY event) means for replay. */
public enum StatementKind {
    /** DML logged in statement format: cannot be replayed safely; the source must log in ROW format. */
    DML,
    /** SAVEPOINT / RELEASE SAVEPOINT: mark points inside a source transaction and change no data. */
    NO_OP,
    /** Everything else: DDL, TRUNCATE, GRANT, FLUSH, ROLLBACK [TO SAVEPOINT], XA ...: the run decides. */
    OTHER;

    private static final Set<String> DML_VERBS = Set.of("INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD", "WITH");

    /** Classifies {@code sql} by its first keyword, after comments ({@code /*!ver ...} counts as code). */
    public static StatementKind of(String sql) {
        String first = firstWord(sql, 0);
        if (DML_VERBS.contains(first)) {
            return DML;
        }
        return first.equals("SAVEPOINT") || first.equals("RELEASE") ? NO_OP : OTHER;
    }

    /** The first keyword of {@code sql}, upper-cased, skipping whitespace, comments and parentheses. */
    static String firstWord(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ';') {
                i++;
            } else if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
                // Executable comment: its body is code, after an optional version number.
                i += sql.startsWith("/*!", i) ? 3 : 4;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (sql.startsWith("--", i) || c == '#') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else {
                int start = i;
                while (i < n && Character.isLetter(sql.charAt(i))) {
                    i++;
                }
                return sql.substring(start, i).toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }
}
