package io.ferry.copy.internal.dialect;

import io.ferry.copy.internal.dialect.DdlTranslator.Translation;
import io.ferry.core.sql.SqlTokens;
import io.ferry.core.sql.SqlTokens.Kind;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One translation in progress: the statement's tokens, the edits so far, and what was mapped or refused. The parts
 * of {@link DdlTranslator} ({@link TableStatement}, {@link ColumnTranslation}, {@link GenericClauses}) read the
 * tokens here and record their edits here; {@link #result()} applies them to the text.
 */
final class DdlRewrite {
    private record Edit(int start, int end, String replacement) {
    }

    final String sql;
    final List<Token> tokens;
    /** How the statement's object is named in mappings and refusals: the table, or the database. */
    final String objectBase;
    /** Lower-cased names of the table's key columns, whose collation decides the copy's order. */
    final Set<String> keyColumns;
    /** Lower-cased names of MariaDB JSON-alias columns. */
    final Set<String> jsonColumns;
    final ServerDialect source;
    final ServerDialect target;
    private final List<Edit> edits = new ArrayList<>();
    private final List<SchemaMapping> mappings = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    DdlRewrite(String sql, String objectBase, Set<String> keyColumns, Set<String> jsonColumns, ServerDialect source,
            ServerDialect target) {
        this.sql = sql;
        this.tokens = SqlTokens.withCommentMarkers(sql);
        this.objectBase = objectBase;
        this.keyColumns = keyColumns;
        this.jsonColumns = jsonColumns;
        this.source = source;
        this.target = target;
    }

    boolean acrossEngines() {
        return source.flavor() != target.flavor();
    }

    /** Replaces {@code [start, end)} of the text with {@code replacement} (empty: removes it). */
    void edit(int start, int end, String replacement) {
        edits.add(new Edit(start, end, replacement));
    }

    Translation result() {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparing(e -> -e.end()));
        var out = new StringBuilder(sql.length() + 32);
        int at = 0;
        for (Edit e : sorted) {
            if (e.start() < at) {
                continue; // inside a larger edit (a dropped definition)
            }
            int start = e.start();
            if (e.replacement().isEmpty() && start > at && sql.charAt(start - 1) == ' ') {
                start--; // a dropped clause takes the space before it along
            }
            out.append(sql, at, start).append(e.replacement());
            at = e.end();
        }
        out.append(sql.substring(at));
        return new Translation(out.toString(), mappings, refusals);
    }

    Token at(int i) {
        return i < tokens.size() ? tokens.get(i) : new Token(Kind.SYMBOL, sql.length(), sql.length(), ";", 0);
    }

    /** The index just past the bracket matching the {@code (} at {@code open}. */
    int closing(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol('(')) {
                depth++;
            } else if (tokens.get(i).isSymbol(')') && --depth == 0) {
                return i + 1;
            }
        }
        return tokens.size();
    }

    /** The ranges between top-level commas of {@code [from, to)}. */
    List<int[]> split(int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.isSymbol('(')) {
                depth++;
            } else if (t.isSymbol(')')) {
                depth--;
            } else if (t.isSymbol(',') && depth == 0) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            out.add(new int[] {start, to});
        }
        return out;
    }

    String objectOf(String column) {
        return objectBase + "." + column;
    }

    void wrap(Token first, Token last) {
        edit(first.start(), first.start(), "(");
        edit(last.end(), last.end(), ")");
    }

    /** Whether the token lies inside a text another edit removes (the JSON alias's own character set). */
    boolean isRemoved(Token t) {
        for (Edit e : edits) {
            if (e.replacement().isEmpty() && t.start() >= e.start() && t.end() <= e.end()) {
                return true;
            }
        }
        return false;
    }

    void map(String object, String what, String from, String to, String note, boolean warning) {
        mappings.add(new SchemaMapping(object, what, from, to, note, warning));
    }

    void refuse(String object, String problem) {
        refusals.add(object + ": " + problem);
    }
}
