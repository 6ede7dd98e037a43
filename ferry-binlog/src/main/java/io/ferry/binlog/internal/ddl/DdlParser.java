package io.ferry.binlog.internal.ddl;

import io.ferry.binlog.SchemaChange.Kind;
import io.ferry.core.sql.SqlTokens;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.Node;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.alter.RenameTableStatement;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Classifies a statement logged as text and finds every table name in it with its exact place in the text, so
 * names can be rewritten without re-rendering the statement (JSqlParser's deparser drops MySQL options such as
 * executable comments). JSqlParser parses and classifies; the names it reports are located through their token
 * offsets. Statements ferry never replays (privileges, stored programs, views, maintenance) are recognised by their
 * leading keywords before parsing, since the parser rejects many of them. An {@code ALTER TABLE} the parser rejects
 * (for example {@code DROP FOREIGN KEY}) is read from its tokens: its table names only follow {@code TABLE},
 * {@code RENAME [TO|AS]}, {@code REFERENCES} and {@code EXCHANGE PARTITION ... WITH TABLE}.
 */
public final class DdlParser {
    private static final Set<String> IGNORED_VERBS = Set.of("GRANT", "REVOKE", "ANALYZE", "OPTIMIZE", "REPAIR", "CHECK",
            "CHECKSUM", "FLUSH", "RESET", "INSTALL", "UNINSTALL", "SET", "XA", "ROLLBACK", "COMMIT", "SAVEPOINT",
            "RELEASE", "DO", "LOCK", "UNLOCK", "KILL", "PURGE", "USE", "BEGIN", "START", "HANDLER", "SHUTDOWN", "CALL");
    private static final Set<String> IGNORED_OBJECTS = Set.of("PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "VIEW",
            "USER", "ROLE", "SERVER", "LOGFILE", "TABLESPACE", "SEQUENCE", "PACKAGE", "RESOURCE", "SPATIAL_REFERENCE_SYSTEM",
            "UNDO", "INSTANCE");
    /** Options that may directly follow ALTER DATABASE when it changes the default database. */
    private static final Set<String> DATABASE_OPTIONS = Set.of("CHARACTER", "CHARSET", "DEFAULT", "COLLATE", "READ",
            "ENCRYPTION", "UPGRADE", "COMMENT");
    /** Words between CREATE/ALTER/DROP and the object type: OR REPLACE, DEFINER = x, SQL SECURITY x, ALGORITHM = x, ... */
    private static final Set<String> MODIFIERS = Set.of("OR", "REPLACE", "ONLINE", "OFFLINE", "IGNORE", "UNIQUE",
            "FULLTEXT", "SPATIAL", "AGGREGATE", "TEMPORARY", "DEFINER", "SQL", "SECURITY", "ALGORITHM", "UNDEFINED",
            "MERGE", "TEMPTABLE", "INVOKER", "NONBLOCKING");

    /** A table name at {@code [start, end)} of the text; {@code database} is null when the name is unqualified. */
    public record Name(String database, String table, int start, int end) {
    }

    /**
     * What a statement is. {@code tables} are the tables it creates, changes or drops (for a rename, old then new
     * name, pair by pair); {@code referenced} are other tables it only names ({@code LIKE}, {@code REFERENCES});
     * {@code database} is set for database statements; {@code reason} says why a statement is ignored or unparseable.
     */
    public record Parsed(Kind kind, List<Name> tables, List<Name> referenced, String database, String reason) {
        public Parsed {
            tables = List.copyOf(tables);
            referenced = List.copyOf(referenced);
        }

        static Parsed ignored(String reason) {
            return new Parsed(Kind.IGNORED, List.of(), List.of(), null, reason);
        }

        static Parsed unparseable(String reason) {
            return new Parsed(Kind.UNPARSEABLE, List.of(), List.of(), null, reason);
        }
    }

    private DdlParser() {
    }

    public static Parsed parse(String sql) {
        List<Token> tokens = SqlTokens.of(sql);
        if (tokens.isEmpty()) {
            return Parsed.ignored("an empty statement");
        }
        String verb = tokens.getFirst().upper();
        if (IGNORED_VERBS.contains(verb)) {
            return Parsed.ignored(verb + " statements change no table ferry copies");
        }
        switch (verb) {
            case "CREATE", "ALTER", "DROP" -> {
                int i = skipModifiers(tokens, 1);
                String object = i < tokens.size() ? tokens.get(i).upper() : "";
                if (IGNORED_OBJECTS.contains(object)) {
                    return Parsed.ignored(verb + " " + object + " is not replicated (ferry copies table rows only)");
                }
                if (object.equals("DATABASE") || object.equals("SCHEMA")) {
                    return database(tokens, i + 1, verb);
                }
                if (object.equals("TABLE") && hasTemporary(tokens, i)) {
                    return Parsed.ignored("temporary tables are not replicated");
                }
                if (!object.equals("TABLE") && !object.equals("INDEX") && !object.equals("KEY")) {
                    return Parsed.unparseable(verb + " " + object + " is not a statement ferry knows");
                }
            }
            case "RENAME" -> {
                if (tokens.size() > 1 && tokens.get(1).is("USER")) {
                    return Parsed.ignored("RENAME USER is not replicated");
                }
            }
            case "TRUNCATE" -> {
            }
            default -> {
                return Parsed.unparseable(verb + " is not a statement ferry knows");
            }
        }
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(sql);
        } catch (JSQLParserException | RuntimeException e) {
            if (verb.equals("ALTER")) {
                return alterFromTokens(tokens);
            }
            return Parsed.unparseable("the SQL parser rejected it: " + firstLine(e));
        }
        try {
            return fromStatement(statement, sql, tokens);
        } catch (UnsupportedOperationException e) {
            return Parsed.unparseable("the SQL parser cannot list its tables: " + e.getMessage());
        }
    }

    private static Parsed fromStatement(Statement statement, String sql, List<Token> tokens) {
        Map<Table, Name> located = locate(statement, tokens);
        if (located == null) {
            return Parsed.unparseable("the SQL parser did not report where its table names are");
        }
        List<Name> referenced = new ArrayList<>();
        switch (statement) {
            case CreateTable c -> {
                Name created = located.get(c.getTable());
                located.forEach((t, n) -> {
                    if (n != created) {
                        referenced.add(n);
                    }
                });
                return new Parsed(Kind.CREATE_TABLE, List.of(created), sorted(referenced), null, null);
            }
            case Alter a -> {
                Name altered = located.get(a.getTable());
                if (altered == null) {
                    return alterFromTokens(tokens);
                }
                located.forEach((t, n) -> {
                    if (n != altered) {
                        referenced.add(n);
                    }
                });
                List<Name> tables = new ArrayList<>(List.of(altered));
                boolean renames = false;
                for (AlterExpression e : a.getAlterExpressions()) {
                    renames |= e.getOperation() == AlterOperation.RENAME_TABLE;
                }
                if (renames) {
                    Name to = renameTarget(tokens);
                    if (to == null) {
                        return Parsed.unparseable("cannot find the new name of the renamed table");
                    }
                    tables.add(to);
                }
                return new Parsed(Kind.ALTER_TABLE, tables, sorted(referenced), null, null);
            }
            case RenameTableStatement r -> {
                List<Name> names = sorted(new ArrayList<>(located.values()));
                if (names.size() != 2 * r.getTableNamesSize()) {
                    return Parsed.unparseable("cannot pair the old and new table names");
                }
                return new Parsed(Kind.RENAME_TABLE, names, List.of(), null, null);
            }
            case Drop d when d.getType().equalsIgnoreCase("TABLE") -> {
                return new Parsed(Kind.DROP_TABLE, sorted(new ArrayList<>(located.values())), List.of(), null, null);
            }
            case Drop d when d.getType().equalsIgnoreCase("INDEX") -> {
                Name on = nameAfter(tokens, "ON");
                return on == null ? Parsed.unparseable("DROP INDEX without ON <table>")
                        : new Parsed(Kind.DROP_INDEX, List.of(on), List.of(), null, null);
            }
            case Truncate t -> {
                return new Parsed(Kind.TRUNCATE_TABLE, sorted(new ArrayList<>(located.values())), List.of(), null, null);
            }
            case CreateIndex c -> {
                Name on = located.get(c.getTable());
                return on == null ? Parsed.unparseable("CREATE INDEX without a table")
                        : new Parsed(Kind.CREATE_INDEX, List.of(on), List.of(), null, null);
            }
            default -> {
                return Parsed.unparseable(statement.getClass().getSimpleName() + " is not a statement ferry knows");
            }
        }
    }

    /** Every table the parser reports, located in the text through its first token; null if one cannot be. */
    private static Map<Table, Name> locate(Statement statement, List<Token> tokens) {
        Map<Table, Name> out = new IdentityHashMap<>();
        boolean[] lost = {false};
        statement.accept(new TablesNamesFinder<Void>() {
            @Override
            public <S> Void visit(Table table, S context) {
                Node node = table.getASTNode();
                Name name = node == null ? null : nameAt(tokens, node.jjtGetFirstToken().absoluteBegin - 1);
                if (name == null || !name.table().equals(table.getUnquotedName())) {
                    lost[0] = true;
                } else {
                    out.put(table, name);
                }
                return null;
            }
        }, null);
        return lost[0] ? null : out;
    }

    /** The qualified name whose first token starts at {@code offset}, or null. */
    private static Name nameAt(List<Token> tokens, int offset) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).start() == offset) {
                return nameFrom(tokens, i);
            }
        }
        return null;
    }

    /** {@code ident} or {@code ident.ident} starting at token {@code i}, or null. */
    private static Name nameFrom(List<Token> tokens, int i) {
        if (i >= tokens.size() || !tokens.get(i).isName()) {
            return null;
        }
        Token first = tokens.get(i);
        if (i + 2 < tokens.size() && tokens.get(i + 1).isSymbol('.') && tokens.get(i + 2).isName()) {
            Token second = tokens.get(i + 2);
            return new Name(first.name(), second.name(), first.start(), second.end());
        }
        return new Name(null, first.name(), first.start(), first.end());
    }

    /** The table name after the first top-level occurrence of the word {@code keyword}. */
    private static Name nameAfter(List<Token> tokens, String keyword) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is(keyword)) {
                return nameFrom(tokens, i + 1);
            }
        }
        return null;
    }

    /** The new name in {@code ALTER TABLE t ... RENAME [TO|AS|=] new}, at the top level; RENAME COLUMN/INDEX/KEY are skipped. */
    private static Name renameTarget(List<Token> tokens) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            depth += t.isSymbol('(') ? 1 : t.isSymbol(')') ? -1 : 0;
            if (depth == 0 && t.is("RENAME") && i + 1 < tokens.size()) {
                Token next = tokens.get(i + 1);
                if (next.is("COLUMN") || next.is("INDEX") || next.is("KEY")) {
                    continue;
                }
                int at = next.is("TO") || next.is("AS") || next.isSymbol('=') ? i + 2 : i + 1;
                return nameFrom(tokens, at);
            }
        }
        return null;
    }

    /**
     * An {@code ALTER TABLE} read from its tokens: the table after {@code TABLE}, a new name after a top-level
     * {@code RENAME [TO|AS]}, referenced tables after {@code REFERENCES} and {@code EXCHANGE PARTITION p WITH TABLE}.
     */
    private static Parsed alterFromTokens(List<Token> tokens) {
        int i = skipModifiers(tokens, 1);
        if (i >= tokens.size() || !tokens.get(i).is("TABLE")) {
            return Parsed.unparseable("not an ALTER TABLE statement");
        }
        Name altered = nameFrom(tokens, i + 1);
        if (altered == null) {
            return Parsed.unparseable("ALTER TABLE without a table name");
        }
        List<Name> tables = new ArrayList<>(List.of(altered));
        List<Token> rest = tokens.subList(i + 1, tokens.size());
        Name renamed = renameTarget(rest);
        if (renamed != null) {
            tables.add(renamed);
        }
        List<Name> referenced = new ArrayList<>();
        for (int k = i + 2; k < tokens.size(); k++) {
            boolean references = tokens.get(k).is("REFERENCES");
            boolean exchange = tokens.get(k).is("WITH") && k + 1 < tokens.size() && tokens.get(k + 1).is("TABLE");
            if (references || exchange) {
                Name n = nameFrom(tokens, references ? k + 1 : k + 2);
                if (n == null) {
                    return Parsed.unparseable("a REFERENCES or WITH TABLE clause without a table name");
                }
                referenced.add(n);
            }
        }
        return new Parsed(Kind.ALTER_TABLE, tables, referenced, null, null);
    }

    private static Parsed database(List<Token> tokens, int from, String verb) {
        int i = from;
        while (i < tokens.size() && (tokens.get(i).is("IF") || tokens.get(i).is("NOT") || tokens.get(i).is("EXISTS"))) {
            i++;
        }
        boolean option = i < tokens.size() && tokens.get(i).kind() == SqlTokens.Kind.WORD
                && DATABASE_OPTIONS.contains(tokens.get(i).upper());
        if (i >= tokens.size() || !tokens.get(i).isName() || option) {
            return verb.equals("ALTER") ? new Parsed(Kind.DATABASE, List.of(), List.of(), "", null)
                    : Parsed.unparseable(verb + " DATABASE without a name");
        }
        return new Parsed(Kind.DATABASE, List.of(), List.of(), tokens.get(i).name(), null);
    }

    /** The index of the object type after CREATE/ALTER/DROP and their modifiers (DEFINER = `u`@`h` included). */
    private static int skipModifiers(List<Token> tokens, int from) {
        int i = from;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.kind() == SqlTokens.Kind.WORD && MODIFIERS.contains(t.upper())) {
                i++;
            } else if (t.isSymbol('=') || t.isSymbol('@') || t.isSymbol('(') || t.isSymbol(')')
                    || (i > from && isDefinerPart(tokens, i))) {
                i++;
            } else {
                return i;
            }
        }
        return i;
    }

    /** A user or host of {@code DEFINER = user@host}, or {@code CURRENT_USER}. */
    private static boolean isDefinerPart(List<Token> tokens, int i) {
        Token previous = tokens.get(i - 1);
        Token t = tokens.get(i);
        boolean afterDefiner = previous.isSymbol('=') || previous.isSymbol('@');
        return afterDefiner && (t.kind() == SqlTokens.Kind.QUOTED || t.kind() == SqlTokens.Kind.STRING
                || t.kind() == SqlTokens.Kind.WORD && !IGNORED_OBJECTS.contains(t.upper()) && !t.is("TABLE")
                && !t.is("INDEX") && !t.is("DATABASE") && !t.is("SCHEMA"));
    }

    private static boolean hasTemporary(List<Token> tokens, int upTo) {
        for (int i = 0; i < upTo; i++) {
            if (tokens.get(i).is("TEMPORARY")) {
                return true;
            }
        }
        return false;
    }

    private static List<Name> sorted(List<Name> names) {
        names.sort(Comparator.comparingInt(Name::start));
        return names;
    }

    private static String firstLine(Throwable e) {
        Throwable shown = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
        String m = String.valueOf(shown.getMessage()).strip();
        return m.lines().findFirst().orElse(m);
    }
}
