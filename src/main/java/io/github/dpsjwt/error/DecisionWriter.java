package io.github.dpsjwt.error;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * Passes decision records to their logger (and so to every handler Quarkus configured) from one
 * background thread that wakes every {@link #PERIOD_MILLIS} ms and takes whatever has queued. A request
 * thread only queues its record: it neither writes nor wakes another thread, which a queue that hands
 * over each record does (the console's async handler: a futex wake per line, ~10 % of the CPU at 10,000
 * decisions a second, measured here).
 *
 * <p>Nothing is dropped: a record that finds the queue full, or the writer closed, is logged by the
 * thread that made it, as a synchronous log would.
 */
final class DecisionWriter implements Runnable {

    /** How long the writer sleeps when it finds the queue empty. */
    static final long PERIOD_MILLIS = 10;

    private final Logger logger;
    private final ArrayBlockingQueue<ExtLogRecord> queue;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the writer thread (a daemon).
     *
     * @param logger where the records go
     * @param capacity how many records may wait; beyond that, callers log synchronously
     */
    DecisionWriter(Logger logger, int capacity) {
        this.logger = logger;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this, "decision-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a record whose MDC is already copied and whose caller is not needed. */
    void submit(ExtLogRecord record) {
        if (closed || !queue.offer(record)) {
            logger.logRaw(record);
            return;
        }
        if (closed) {
            // close() may have drained before this record went in
            drain();
        }
    }

    @Override
    public void run() {
        while (!closed) {
            if (drain() == 0) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
            }
        }
    }

    /** Logs every queued record; returns how many. */
    private int drain() {
        int count = 0;
        ExtLogRecord record;
        while ((record = queue.poll()) != null) {
            try {
                logger.logRaw(record);
            } catch (RuntimeException e) {
                // a failing handler must not end the writer; JBoss handlers report their own errors
            }
            count++;
        }
        return count;
    }

    /** Stops the thread after it has logged what is queued; later records are logged by their callers. */
    void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }

    /** How many records wait (for tests). */
    int queued() {
        return queue.size();
    }

    /** Whether the thread has ended (for tests). */
    boolean stopped() {
        return !thread.isAlive();
    }
}
