package io.ferry.core.db;

/** The server family, which decides a few SQL spellings (locking clause, binlog status, JSON handling). */
public enum ServerFlavor {
    MYSQL,
    MARIADB
}
