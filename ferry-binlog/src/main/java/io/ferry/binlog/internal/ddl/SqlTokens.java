package io.ferry.binlog.internal.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one MySQL statement with their positions in the original text: words (keywords and bare
 * identifiers), back-quoted identifiers, string and number literals, and single-character symbols. Comments are
 * skipped; the body of an executable comment ({@code /*!40005 TEMPORARY *}{@code /}, {@code /*M!...}) is code, as
 * the server reads it.
 */
final class SqlTokens {
    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

    /** One token; {@code start}/{@code end} index the original text (end exclusive). */
    record Token(Kind kind, int start, int end, String text) {
        /** Whether this is the bare word {@code keyword} (case-insensitive). */
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(char c) {
            return kind == Kind.SYMBOL && text.charAt(0) == c;
        }

        boolean isIdentifier() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }

        /** The identifier's name: back quotes removed and doubled back quotes undone. */
        String name() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("``", "`") : text;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private SqlTokens() {
    }

    static List<Token> of(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
                i += sql.startsWith("/*!", i) ? 3 : 4;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            } else if (sql.startsWith("*/", i)) {
                i += 2; // the end of an executable comment
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '#' || (sql.startsWith("--", i) && (i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2))))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '`') {
                int end = closing(sql, i, '`');
                out.add(new Token(Kind.QUOTED, i, end, sql.substring(i, end)));
                i = end;
            } else if (c == '\'' || c == '"') {
                int end = closing(sql, i, c);
                out.add(new Token(Kind.STRING, i, end, sql.substring(i, end)));
                i = end;
            } else if (Character.isDigit(c) && !startsWord(sql, i)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, start, i, sql.substring(start, i)));
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(sql.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.WORD, start, i, sql.substring(start, i)));
            } else {
                out.add(new Token(Kind.SYMBOL, i, i + 1, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }

    /** The end (exclusive) of the quoted token opened at {@code from}; a doubled quote or backslash escape stays inside. */
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

    /** MySQL identifiers may start with a digit when they contain a letter later (e.g. {@code 1a}). */
    private static boolean startsWord(String sql, int i) {
        int j = i;
        while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
            j++;
        }
        return j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')
                && !(j == i + 1 && sql.charAt(i) == '0' && (sql.charAt(j) == 'x' || sql.charAt(j) == 'b'));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
    }
}
