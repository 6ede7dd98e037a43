package io.ferry.copy.internal.dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one DDL statement with their positions in its text, so a translation can replace exactly the
 * tokens it changes and leave every other byte as the source wrote it. Plain comments are skipped; an executable
 * comment ({@code /*!80023 INVISIBLE *}{@code /}, MariaDB's {@code /*M!100301 COMPRESSED *}{@code /}) yields a
 * {@link Kind#COMMENT_OPEN} token carrying its version, its body's tokens, and a {@link Kind#COMMENT_CLOSE}, since
 * whether a server runs the body depends on the server (MariaDB skips MySQL 8's {@code /*!8xxxx} comments, MySQL
 * skips {@code /*M!}).
 */
final class DdlTokens {
    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, COMMENT_OPEN, COMMENT_CLOSE }

    /**
     * One token; {@code start}/{@code end} index the statement (end exclusive).
     *
     * @param version of a {@link Kind#COMMENT_OPEN}: the version in it (0 when none), negative for MariaDB's
     *                {@code /*M!}
     */
    record Token(Kind kind, int start, int end, String text, int version) {
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        /** An identifier's name (back quotes removed) or a string's content (quotes removed, no unescaping). */
        String name() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("``", "`")
                    : kind == Kind.STRING ? text.substring(1, text.length() - 1) : text;
        }

        String lower() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private DdlTokens() {
    }

    static List<Token> of(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        int openComments = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
                int start = i;
                boolean maria = sql.startsWith("/*M!", i);
                i += maria ? 4 : 3;
                int digits = i;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
                int version = digits == i ? 0 : Integer.parseInt(sql.substring(digits, Math.min(i, digits + 9)));
                out.add(new Token(Kind.COMMENT_OPEN, start, i, sql.substring(start, i), maria ? -version : version));
                openComments++;
            } else if (sql.startsWith("*/", i) && openComments > 0) {
                out.add(new Token(Kind.COMMENT_CLOSE, i, i + 2, "*/", 0));
                openComments--;
                i += 2;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (sql.startsWith("--", i) && (i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2))))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '`' || c == '\'' || c == '"') {
                int end = closing(sql, i, c);
                out.add(new Token(c == '`' ? Kind.QUOTED : Kind.STRING, i, end, sql.substring(i, end), 0));
                i = end;
            } else if (Character.isDigit(c) && !startsWord(sql, i)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, start, i, sql.substring(start, i), 0));
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(sql.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.WORD, start, i, sql.substring(start, i), 0));
            } else {
                out.add(new Token(Kind.SYMBOL, i, i + 1, String.valueOf(c), 0));
                i++;
            }
        }
        return out;
    }

    /** The end (exclusive) of the quoted token opened at {@code from}; doubled quotes and backslash escapes stay inside. */
    private static int closing(String sql, int from, char quote) {
        int i = from + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** MySQL identifiers may start with a digit when a letter follows (e.g. {@code 1a}), but not {@code 0x}/{@code 0b}. */
    private static boolean startsWord(String sql, int i) {
        int j = i;
        while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            j++;
        }
        return j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')
                && !(j == i + 1 && sql.charAt(i) == '0' && (sql.charAt(j) == 'x' || sql.charAt(j) == 'b'))
                && !(sql.charAt(j) == 'e' || sql.charAt(j) == 'E');
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
    }
}
