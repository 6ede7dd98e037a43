package io.ferry.core.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A structured scope for concurrent subtasks on virtual threads: {@link #fork} starts a subtask, {@link #join}
 * waits for all of them, the first failure cancels (interrupts) the siblings, and {@link #close} never returns
 * while a subtask still runs. Shaped like {@code StructuredTaskScope.ShutdownOnFailure}, which is a preview API
 * on Java 21 and so cannot be used with {@code --release 21}; moving to it later is a mechanical change.
 *
 * <pre>{@code
 * try (var scope = new TaskScope("copy")) {
 *     for (var table : tables) scope.fork(() -> copier.copy(table));
 *     scope.join().throwIfFailed();
 * }
 * }</pre>
 *
 * A scope is owned by the thread that created it: only that thread may fork, join and close.
 */
public final class TaskScope implements AutoCloseable {

    /** The handle of a forked subtask; its result is available once {@link #join} returned without failure. */
    public static final class Subtask<T> {
        private volatile T result;
        private volatile boolean done;

        /** The subtask's result. Throws if the subtask has not completed successfully. */
        public T get() {
            if (!done) {
                throw new IllegalStateException("subtask has not completed successfully; call join() first");
            }
            return result;
        }
    }

    private final String name;
    private final ThreadFactory threads;
    private final Thread owner = Thread.currentThread();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Thread> running = new ArrayList<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private volatile boolean shutdown;
    private boolean closed;

    public TaskScope(String name) {
        this.name = name;
        this.threads = Thread.ofVirtual().name(name + "-", 0).factory();
    }

    /** Starts {@code task} on a new virtual thread. After a failure or {@link #shutdown}, new subtasks do not start. */
    public <T> Subtask<T> fork(Callable<? extends T> task) {
        ensureOwner();
        if (closed) {
            throw new IllegalStateException("scope '" + name + "' is closed");
        }
        var subtask = new Subtask<T>();
        if (shutdown) {
            return subtask;
        }
        Thread thread = threads.newThread(() -> {
            try {
                subtask.result = task.call();
                subtask.done = true;
            } catch (Throwable failure) {
                if (firstFailure.compareAndSet(null, failure)) {
                    shutdown();
                }
            }
        });
        lock.lock();
        try {
            running.add(thread);
        } finally {
            lock.unlock();
        }
        thread.start();
        return subtask;
    }

    /** Runs {@code task} like {@link #fork(Callable)} for work that returns nothing. */
    public Subtask<Void> fork(ThrowingRunnable task) {
        return fork(() -> {
            task.run();
            return null;
        });
    }

    /** Waits until every subtask has finished (or, after a failure, has been interrupted and finished). */
    public TaskScope join() throws InterruptedException {
        ensureOwner();
        for (Thread thread : snapshot()) {
            thread.join();
        }
        return this;
    }

    /** Throws the first subtask failure, if any, wrapped in an {@link ExecutionException}. */
    public void throwIfFailed() throws ExecutionException {
        Throwable failure = firstFailure.get();
        if (failure != null) {
            throw new ExecutionException("a subtask of '" + name + "' failed: " + failure.getMessage(), failure);
        }
    }

    /** The first failure of a subtask, or {@code null}. */
    public Throwable failure() {
        return firstFailure.get();
    }

    /** Interrupts every running subtask and stops new ones from starting. Safe to call from any thread. */
    public void shutdown() {
        shutdown = true;
        for (Thread thread : snapshot()) {
            thread.interrupt();
        }
    }

    public boolean isShutdown() {
        return shutdown;
    }

    /** Shuts the scope down if subtasks still run, and waits for all of them, even when interrupted. */
    @Override
    public void close() {
        ensureOwner();
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        List<Thread> threads = snapshot();
        if (threads.stream().anyMatch(Thread::isAlive)) {
            shutdown();
        }
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Thread> snapshot() {
        lock.lock();
        try {
            return List.copyOf(running);
        } finally {
            lock.unlock();
        }
    }

    private void ensureOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("scope '" + name + "' is owned by " + owner + ", not " + Thread.currentThread());
        }
    }

    /** A {@link Runnable} that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
