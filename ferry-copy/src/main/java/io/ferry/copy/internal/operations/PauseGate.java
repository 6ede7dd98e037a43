package io.ferry.copy.internal.operations;

import io.ferry.copy.Throttler;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A pause switch that work passes through between units (batches, transactions); paused work waits at the gate. */
public final class PauseGate implements Throttler {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private boolean paused;

    public void pause() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    public void resume() {
        lock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean throttled() {
        return isPaused();
    }

    @Override
    public void awaitUnthrottled() throws InterruptedException {
        awaitOpen();
    }

    /** Returns at once when not paused; otherwise waits until resumed. */
    public void awaitOpen() throws InterruptedException {
        lock.lock();
        try {
            while (paused) {
                resumed.await();
            }
        } finally {
            lock.unlock();
        }
    }
}
