package io.ferry.core.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskScopeTest {

    @Test
    void joinReturnsResultsOfAllSubtasks() throws Exception {
        try (var scope = new TaskScope("t")) {
            var a = scope.fork(() -> 1);
            var b = scope.fork(() -> 2);
            scope.join().throwIfFailed();
            assertEquals(3, a.get() + b.get());
        }
    }

    @Test
    void subtasksRunOnVirtualThreads() throws Exception {
        try (var scope = new TaskScope("t")) {
            var virtual = scope.fork(() -> Thread.currentThread().isVirtual());
            scope.join().throwIfFailed();
            assertTrue(virtual.get());
        }
    }

    @Test
    void firstFailureCancelsSiblingsAndIsRethrown() throws Exception {
        var siblingInterrupted = new CountDownLatch(1);
        var boom = new IllegalStateException("boom");
        try (var scope = new TaskScope("t")) {
            scope.fork(() -> {
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                } catch (InterruptedException e) {
                    siblingInterrupted.countDown();
                }
            });
            scope.fork(() -> {
                throw boom;
            });
            scope.join();
            var thrown = assertThrows(ExecutionException.class, scope::throwIfFailed);
            assertSame(boom, thrown.getCause());
            assertTrue(siblingInterrupted.await(10, TimeUnit.SECONDS), "sibling was not interrupted");
            assertTrue(scope.isShutdown());
        }
    }

    @Test
    void onlyTheFirstFailureIsKept() throws Exception {
        var first = new RuntimeException("first");
        var release = new CountDownLatch(1);
        try (var scope = new TaskScope("t")) {
            scope.fork(() -> {
                throw first;
            });
            scope.join();
            scope.fork(() -> {
                release.await();
                throw new RuntimeException("second");
            });
            release.countDown();
            scope.join();
            assertSame(first, scope.failure());
        }
    }

    @Test
    void noNewSubtaskStartsAfterShutdown() throws Exception {
        var ran = new AtomicBoolean();
        try (var scope = new TaskScope("t")) {
            scope.shutdown();
            var subtask = scope.fork(() -> ran.set(true));
            scope.join();
            assertFalse(ran.get());
            assertThrows(IllegalStateException.class, subtask::get);
        }
    }

    @Test
    void closeWaitsForEverySubtaskEvenAfterShutdown() {
        var finished = new AtomicInteger();
        try (var scope = new TaskScope("t")) {
            for (int i = 0; i < 20; i++) {
                scope.fork(() -> {
                    try {
                        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                    } catch (InterruptedException e) {
                        Thread.sleep(20); // clean-up that close() must wait for
                        finished.incrementAndGet();
                    }
                });
            }
        }
        assertEquals(20, finished.get());
    }

    @Test
    void resultOfUnfinishedSubtaskIsRefused() throws Exception {
        try (var scope = new TaskScope("t")) {
            var failed = scope.fork(() -> {
                throw new RuntimeException("x");
            });
            scope.join();
            assertThrows(IllegalStateException.class, failed::get);
        }
    }

    @Test
    void otherThreadsMayNotForkIntoTheScope() throws Exception {
        try (var scope = new TaskScope("t")) {
            var refused = new AtomicBoolean();
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    scope.fork(() -> 1);
                } catch (IllegalStateException e) {
                    refused.set(true);
                }
            });
            other.join();
            assertTrue(refused.get());
        }
    }
}
