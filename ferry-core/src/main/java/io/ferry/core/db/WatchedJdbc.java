package io.ferry.core.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Connections whose statements a {@link StatementWatch} sees: every {@code execute*}, {@code commit} and
 * {@code rollback} is registered while it runs. Every SQL text they are given (prepared, executed or batched) gets
 * the {@link StatementComment} before it. A proxy rather than a call-site helper, so that no statement of any
 * component can wait on a server unseen, or reach it unmarked.
 */
final class WatchedJdbc {
    private WatchedJdbc() {
    }

    /**
     * {@code real} as seen by {@code watch}; {@code timed} says whether its socket read timeout is on, and
     * {@code onClose} runs once it is closed.
     */
    static Connection connection(Connection real, StatementWatch watch, boolean timed, Runnable onClose,
                                 StatementComment comment) {
        var handler = new ConnectionHandler(real, watch, timed, onClose, comment);
        Connection proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        handler.proxy = proxy;
        return proxy;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object identity(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> null;
        };
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection real;
        private final StatementWatch watch;
        private final Runnable onClose;
        private final StatementComment comment;
        private volatile boolean timed;
        private Connection proxy;

        ConnectionHandler(Connection real, StatementWatch watch, boolean timed, Runnable onClose,
                          StatementComment comment) {
            this.real = real;
            this.watch = watch;
            this.timed = timed;
            this.onClose = onClose;
            this.comment = comment;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "equals", "hashCode" -> {
                    return identity(self, method, args);
                }
                case "toString" -> {
                    return "watched " + real;
                }
                case "isWrapperFor" -> {
                    return args[0] == StatementComment.class || (Boolean) WatchedJdbc.invoke(real, method, args);
                }
                case "unwrap" -> {
                    return args[0] == StatementComment.class ? comment : WatchedJdbc.invoke(real, method, args);
                }
                case "createStatement" -> {
                    return statement(Statement.class, WatchedJdbc.invoke(real, method, args), null);
                }
                case "prepareStatement" -> {
                    String sql = (String) args[0];
                    args[0] = comment.mark(sql);
                    return statement(PreparedStatement.class, WatchedJdbc.invoke(real, method, args), sql);
                }
                case "prepareCall" -> {
                    String sql = (String) args[0];
                    args[0] = comment.mark(sql);
                    return statement(CallableStatement.class, WatchedJdbc.invoke(real, method, args), sql);
                }
                case "commit", "rollback" -> {
                    try (var call = watch.begin(real, name.toUpperCase(java.util.Locale.ROOT), timed)) {
                        return WatchedJdbc.invoke(real, method, args);
                    }
                }
                case "setNetworkTimeout" -> {
                    Object result = WatchedJdbc.invoke(real, method, args);
                    timed = (Integer) args[1] > 0;
                    return result;
                }
                case "close" -> {
                    try {
                        return WatchedJdbc.invoke(real, method, args);
                    } finally {
                        onClose.run();
                    }
                }
                default -> {
                    return WatchedJdbc.invoke(real, method, args);
                }
            }
        }

        private Object statement(Class<? extends Statement> type, Object real, String sql) {
            return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {type},
                    new StatementHandler((Statement) real, sql, this));
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Statement real;
        private final String preparedSql;
        private final ConnectionHandler connection;
        private String firstBatched;

        StatementHandler(Statement real, String preparedSql, ConnectionHandler connection) {
            this.real = real;
            this.preparedSql = preparedSql;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("equals") || name.equals("hashCode")) {
                return identity(self, method, args);
            }
            if (name.equals("getConnection")) {
                return connection.proxy;
            }
            // The watch lists statements as given, without the comment.
            String given = args != null && args.length > 0 && args[0] instanceof String s
                    && (name.startsWith("execute") || name.equals("addBatch")) ? s : null;
            if (given != null) {
                args[0] = connection.comment.mark(given);
            }
            if (name.equals("addBatch") && given != null && firstBatched == null) {
                firstBatched = given;
            }
            if (!name.startsWith("execute")) {
                return WatchedJdbc.invoke(real, method, args);
            }
            String sql = given != null ? given : preparedSql != null ? preparedSql : firstBatched;
            try (var call = connection.watch.begin(connection.real, sql, connection.timed)) {
                return WatchedJdbc.invoke(real, method, args);
            }
        }
    }
}
