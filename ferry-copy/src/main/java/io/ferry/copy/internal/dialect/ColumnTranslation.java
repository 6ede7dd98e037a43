package io.ferry.copy.internal.dialect;

import io.ferry.core.db.ServerFlavor;
import io.ferry.core.sql.SqlTokens.Kind;
import io.ferry.core.sql.SqlTokens.Token;
import java.util.Locale;
import java.util.Set;

/** A column definition as {@link DdlTranslator} translates it: its type, its default, its attributes. */
final class ColumnTranslation {
    private static final Set<String> DEFAULT_FUNCTIONS_WITHOUT_PARENTHESES =
            Set.of("current_timestamp", "now", "localtime", "localtimestamp");
    private static final Set<String> BLOB_LIKE = Set.of("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob",
            "mediumblob", "longblob", "json", "geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection");
    private static final Set<String> MARIADB_ONLY_TYPES = Set.of("uuid", "inet4", "inet6");

    private final DdlRewrite ddl;
    private final GenericClauses clauses;

    ColumnTranslation(DdlRewrite ddl, GenericClauses clauses) {
        this.ddl = ddl;
        this.clauses = clauses;
    }

    void column(int from, int to) {
        String name = ddl.at(from).name();
        String object = ddl.objectOf(name);
        Token type = ddl.at(from + 1);
        String typeName = type.lower();
        boolean json = ddl.jsonColumns.contains(name.toLowerCase(Locale.ROOT)) && typeName.equals("longtext")
                && ddl.target.flavor() == ServerFlavor.MYSQL && ddl.acrossEngines();
        if (ddl.acrossEngines()) {
            if (ddl.target.flavor() == ServerFlavor.MYSQL && MARIADB_ONLY_TYPES.contains(typeName)) {
                ddl.refuse(object, "MySQL has no " + typeName.toUpperCase(Locale.ROOT) + " type. Convert the column"
                        + " on the source (e.g. to " + textFormOf(typeName) + ") or leave the table out");
            } else if (ddl.target.flavor() == ServerFlavor.MYSQL && typeName.equals("time") && from + 3 < to
                    && ddl.at(from + 2).isSymbol('(')
                    && !ddl.at(from + 3).text().equals("0")) {
                String spelled = "time(" + ddl.at(from + 3).text() + ")";
                ddl.map(object, "type", spelled, spelled, "MySQL's TIME ends at 838:59:59, MariaDB's fractions go on"
                        + " to 838:59:59.999999 (and as far below zero): a value beyond MySQL's range stops the run,"
                        + " naming it, where MySQL would clip it", true);
            } else if (ddl.target.flavor() == ServerFlavor.MARIADB && Set.of("float", "double", "real").contains(typeName)) {
                ddl.map(object, "value", "-0 (negative zero)", "0", "MariaDB stores every zero of a FLOAT or DOUBLE"
                        + " column as +0; -0 = 0 in every comparison, so keys, order and verification agree", false);
            } else if (ddl.target.flavor() == ServerFlavor.MARIADB && typeName.equals("geomcollection")) {
                ddl.edit(type.start(), type.end(), "geometrycollection");
                ddl.map(object, "type", type.text(), "geometrycollection", "MariaDB's spelling", false);
            }
        }
        if (json) {
            jsonAlias(from, to, type, object);
        }
        for (int i = from + 2; i < to; i++) {
            Token t = ddl.at(i);
            if (t.kind() == Kind.COMMENT_OPEN) {
                while (i < to && ddl.at(i).kind() != Kind.COMMENT_CLOSE) {
                    i++; // the body of an executable comment is GenericClauses'
                }
            } else if (t.is("DEFAULT") && ddl.acrossEngines() && ddl.target.flavor() == ServerFlavor.MYSQL) {
                defaultValue(i, to, name, json ? "json" : typeName);
            } else if (t.is("SRID") && ddl.at(i + 1).kind() == Kind.NUMBER && ddl.target.flavor() == ServerFlavor.MARIADB
                    && ddl.acrossEngines()) {
                ddl.edit(t.start(), ddl.at(i + 1).end(), "");
                ddl.map(object, "attribute", "SRID " + ddl.at(i + 1).text(), "(none)", "MariaDB does not restrict a column"
                        + " to one SRID; the values keep theirs", false);
            }
        }
        clauses.generic(from + 1, to, object);
    }

    private static String textFormOf(String type) {
        return switch (type) {
            case "uuid" -> "CHAR(36) or BINARY(16)";
            case "inet4" -> "VARCHAR(15) or INT UNSIGNED";
            default -> "VARCHAR(39) or BINARY(16)";
        };
    }

    /** MariaDB's {@code longtext [CHARACTER SET x] [COLLATE y] ... CHECK (json_valid(`c`))} as MySQL's {@code json}. */
    private void jsonAlias(int from, int to, Token type, String object) {
        ddl.edit(type.start(), type.end(), "json");
        for (int i = from + 2; i < to; i++) {
            Token t = ddl.at(i);
            if ((t.is("CHARACTER") && ddl.at(i + 1).is("SET")) || t.is("CHARSET")) {
                int name = i + (t.is("CHARSET") ? 1 : 2);
                name += ddl.at(name).isSymbol('=') ? 1 : 0;
                ddl.edit(t.start(), ddl.at(name).end(), "");
            } else if (t.is("COLLATE")) {
                int name = i + 1 + (ddl.at(i + 1).isSymbol('=') ? 1 : 0);
                ddl.edit(t.start(), ddl.at(name).end(), "");
            } else if (t.is("CHECK") && ddl.at(i + 1).isSymbol('(') && ddl.at(i + 2).is("json_valid")) {
                ddl.edit(t.start(), ddl.at(ddl.closing(i + 1) - 1).end(), "");
            }
        }
        ddl.map(object, "type", "longtext CHECK (json_valid)", "json", "MariaDB's JSON is that alias; MySQL's JSON "
                + "type holds the same documents, validated, and prints them normalised (key order, spacing, "
                + "numbers), which ferry's verifiers compare as JSON", false);
    }

    /** {@code DEFAULT ...} at {@code at} of {@code column} (of {@code type}, null when unknown) for MySQL. */
    void defaultValue(int at, int to, String column, String type) {
        Token v = ddl.at(at + 1);
        String object = ddl.objectOf(column);
        if (v.kind() == Kind.WORD && ddl.at(at + 2).isSymbol('(')
                && !DEFAULT_FUNCTIONS_WITHOUT_PARENTHESES.contains(v.lower())) {
            int end = ddl.closing(at + 2) - 1;
            ddl.wrap(v, ddl.at(end));
            ddl.map(object, "default", ddl.sql.substring(v.start(), ddl.at(end).end()), "(" + ddl.sql.substring(v.start(),
                    ddl.at(end).end()) + ")", "MySQL requires an expression default in parentheses", false);
            return;
        }
        if (type == null || !BLOB_LIKE.contains(type)) {
            return;
        }
        int last = at + 1;
        if (v.isSymbol('-') || (v.kind() == Kind.WORD && (v.text().startsWith("_") || v.lower().equals("b")
                || v.lower().equals("x")) && ddl.at(at + 2).kind() == Kind.STRING)) {
            last = at + 2;
        }
        Token end = ddl.at(last);
        if (end.kind() == Kind.STRING || end.kind() == Kind.NUMBER) {
            ddl.wrap(v, end);
            String literal = ddl.sql.substring(v.start(), end.end());
            ddl.map(object, "default", literal, "(" + literal + ")", "MySQL allows a " + type.toUpperCase(Locale.ROOT)
                    + " column only an expression default", false);
        }
    }
}
