package io.ferry.core.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one MySQL statement with their positions in its text, so a reader can locate names and a rewriter
 * can replace exactly the tokens it changes and leave every other byte as written: words (keywords and bare
 * identifiers), back-quoted identifiers, string and number literals, and single-character symbols. Plain comments
 * are skipped. An executable comment ({@code /*!80023 INVISIBLE *}{@code /}, MariaDB's {@code /*M!100301 ...}) is
 * read two ways: {@link #of} treats its body as code, as the server that runs it does; {@link #withCommentMarkers}
 * also yields a {@link Kind#COMMENT_OPEN} carrying its version and a {@link Kind#COMMENT_CLOSE} around the body,
 * for callers that must decide per server whether the body runs (MariaDB skips MySQL 8's {@code /*!8xxxx}, MySQL
 * skips {@code /*M!}).
 */
public final class SqlTokens {
    public enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, COMMENT_OPEN, COMMENT_CLOSE }

    /**
     * One token; {@code start}/{@code end} index the statement (end exclusive).
     *
     * @param version of a {@link Kind#COMMENT_OPEN}: the version in it (0 when none), negative for MariaDB's
     *                {@code /*M!}; 0 for every other token
     */
    public record Token(Kind kind, int start, int end, String text, int version) {
        /** Whether this is the bare word {@code keyword} (case-insensitive). */
        public boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        public boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        /** A bare or back-quoted identifier. */
        public boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        /** An identifier's name (back quotes removed, doubled ones undone) or a string's content (quotes removed, no unescaping). */
        public String name() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("``", "`")
                    : kind == Kind.STRING ? text.substring(1, text.length() - 1) : text;
        }

        /** The text as written, upper-cased: for comparing keywords. */
        public String upper() {
            return text.toUpperCase(Locale.ROOT);
        }

        /** The {@link #name()}, lower-cased: for comparing names and option values. */
        public String lower() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private SqlTokens() {
    }

    /** The tokens as the server that runs executable comments reads them: their bodies are code, their markers gone. */
    public static List<Token> of(String sql) {
        return tokens(sql, false);
    }

    /** The tokens with each executable comment's body between a {@link Kind#COMMENT_OPEN} and a {@link Kind#COMMENT_CLOSE}. */
    public static List<Token> withCommentMarkers(String sql) {
        return tokens(sql, true);
    }

    private static List<Token> tokens(String sql, boolean markers) {
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
                if (markers) {
                    int version = digits == i ? 0 : Integer.parseInt(sql.substring(digits, Math.min(i, digits + 9)));
                    out.add(new Token(Kind.COMMENT_OPEN, start, i, sql.substring(start, i), maria ? -version : version));
                }
                openComments++;
            } else if (sql.startsWith("*/", i) && (openComments > 0 || !markers)) {
                // Read as code, a stray "*/" is dropped as well; a statement the server accepts has none.
                if (markers) {
                    out.add(new Token(Kind.COMMENT_CLOSE, i, i + 2, "*/", 0));
                }
                openComments = Math.max(0, openComments - 1);
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

    /**
     * Whether the digits at {@code i} begin an identifier, as MySQL reads them: when a letter, {@code _} or {@code $}
     * follows them ({@code 1a}), except a hex or bit literal ({@code 0x}, {@code 0b}) or a float's exponent
     * ({@code 1e5}, {@code 1e-5}).
     */
    private static boolean startsWord(String sql, int i) {
        int j = i;
        while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            j++;
        }
        if (j >= sql.length()) {
            return false;
        }
        char c = sql.charAt(j);
        return (Character.isLetter(c) || c == '_' || c == '$')
                && !(j == i + 1 && sql.charAt(i) == '0' && (c == 'x' || c == 'b'))
                && !((c == 'e' || c == 'E') && exponentDigits(sql, j + 1));
    }

    private static boolean exponentDigits(String sql, int i) {
        int j = i < sql.length() && (sql.charAt(i) == '+' || sql.charAt(i) == '-') ? i + 1 : i;
        return j < sql.length() && Character.isDigit(sql.charAt(j));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
    }
}
