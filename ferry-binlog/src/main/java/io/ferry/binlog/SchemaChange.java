package io.ferry.binlog;

import io.ferry.binlog.internal.ddl.DdlParser;
import io.ferry.core.TableId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a statement logged as text does to the schema: its kind, the tables it creates, changes, renames or drops
 * (source names; an unqualified name belongs to the statement's default database, as on the source), and the same
 * statement for the target with every table name replaced by its target name.
 *
 * <p>The rewrite only replaces the table-name tokens of the original text, located by the parser; everything else,
 * executable comments and MySQL-specific options included, reaches the target byte for byte. Every table name is
 * written qualified, so the rewritten statement runs in any default database.
 */
public final class SchemaChange {
    /** The kinds of statements ferry tells apart. */
    public enum Kind {
        CREATE_TABLE, ALTER_TABLE, RENAME_TABLE, DROP_TABLE, TRUNCATE_TABLE, CREATE_INDEX, DROP_INDEX,
        /** CREATE, ALTER or DROP DATABASE/SCHEMA; {@link #database()} names it. */
        DATABASE,
        /** Privileges, stored programs, triggers, events, views, users, maintenance: never replicated. */
        IGNORED,
        /** Not understood: the parser rejected it or ferry does not know the statement. */
        UNPARSEABLE
    }

    /** A table renamed by {@code RENAME TABLE} or {@code ALTER TABLE ... RENAME}. */
    public record Rename(TableId from, TableId to) {
    }

    private final Kind kind;
    private final StatementExecuted statement;
    private final List<DdlParser.Name> names;
    private final List<DdlParser.Name> referencedNames;
    private final String database;
    private final String reason;

    private SchemaChange(StatementExecuted statement, DdlParser.Parsed parsed) {
        this.kind = parsed.kind();
        this.statement = statement;
        this.names = parsed.tables();
        this.referencedNames = parsed.referenced();
        this.database = parsed.database();
        this.reason = parsed.reason();
    }

    /** Parses {@code statement}; never throws: a statement ferry does not understand is {@link Kind#UNPARSEABLE}. */
    public static SchemaChange of(StatementExecuted statement) {
        Objects.requireNonNull(statement, "statement");
        return new SchemaChange(statement, DdlParser.parse(statement.sql()));
    }

    public Kind kind() {
        return kind;
    }

    public StatementExecuted statement() {
        return statement;
    }

    /**
     * The tables the statement creates, changes, truncates or drops, in statement order. For a rename (by
     * {@code RENAME TABLE} or {@code ALTER TABLE ... RENAME}) both the old and the new name, pair by pair.
     */
    public List<TableId> tables() {
        return names.stream().map(this::resolve).toList();
    }

    /** Tables only named by the statement ({@code CREATE TABLE ... LIKE t}, {@code REFERENCES t}). */
    public List<TableId> referenced() {
        return referencedNames.stream().map(this::resolve).toList();
    }

    /** The renames, in order; empty unless the statement renames tables. */
    public List<Rename> renames() {
        List<TableId> t = tables();
        List<Rename> out = new ArrayList<>();
        if (kind == Kind.RENAME_TABLE) {
            for (int i = 0; i + 1 < t.size(); i += 2) {
                out.add(new Rename(t.get(i), t.get(i + 1)));
            }
        } else if (kind == Kind.ALTER_TABLE && t.size() == 2) {
            out.add(new Rename(t.get(0), t.get(1)));
        }
        return out;
    }

    /** The database of a {@link Kind#DATABASE} statement ("" for ALTER DATABASE of the default one); null otherwise. */
    public String database() {
        return kind == Kind.DATABASE && database.isEmpty() ? statement.database() : database;
    }

    /** Why the statement is {@link Kind#IGNORED} or {@link Kind#UNPARSEABLE}; null otherwise. */
    public String reason() {
        return reason;
    }

    /**
     * The statement for the target: every table name replaced by {@code targetOf} of its source name, written as
     * {@code `db`.`table`}; the rest of the text unchanged.
     */
    public String targetSql(UnaryOperator<TableId> targetOf) {
        List<DdlParser.Name> all = new ArrayList<>(names);
        all.addAll(referencedNames);
        all.sort(Comparator.comparingInt(DdlParser.Name::start));
        String sql = statement.sql();
        var out = new StringBuilder(sql.length() + 32 * all.size());
        int at = 0;
        for (DdlParser.Name n : all) {
            if (n.start() < at) {
                continue; // the same name reported twice
            }
            out.append(sql, at, n.start()).append(targetOf.apply(resolve(n)).sql());
            at = n.end();
        }
        return out.append(sql, at, sql.length()).toString();
    }

    /** E.g. {@code ALTER_TABLE at mysql-bin.000003:1234: ALTER TABLE t ADD COLUMN c INT}. */
    public String describe() {
        return kind + " at source binlog position " + statement.position().event() + inDatabase() + ": "
                + abbreviate(statement.sql());
    }

    @Override
    public String toString() {
        return describe();
    }

    private String inDatabase() {
        return statement.database().isEmpty() ? "" : " (default database " + statement.database() + ")";
    }

    private TableId resolve(DdlParser.Name n) {
        return new TableId(n.database() != null ? n.database() : statement.database(), n.table());
    }

    /** One line of at most 300 characters. */
    public static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
