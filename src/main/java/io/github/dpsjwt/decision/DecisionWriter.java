package io.github.dpsjwt.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.handlers.WriterHandler;

/**
 * Passes decision records to their logger (and so to every handler Quarkus configured) from one
 * background thread that wakes every {@link #PERIOD_MILLIS} ms and takes whatever has queued. A request
 * thread only queues its record: it neither writes nor wakes another thread, which a queue that hands
 * over each record does (the console's async handler: a futex wake per line, ~10 % of the CPU at 10,000
 * decisions a second, measured here).
 *
 * <p>The stream handlers (console, file) flush once per batch, not once per record: their auto-flush is
 * off while a batch is written, and turned on again (which flushes) right after. Other threads' lines
 * written meanwhile wait for that flush, a few milliseconds at most. A flush per line cost a write
 * system call per decision, about 1.2 % of the CPU at 13,000 a second (profiled here).
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
        ExtLogRecord record = queue.poll();
        if (record == null) {
            return 0;
        }
        List<WriterHandler> held = holdFlushes();
        int count = 0;
        try {
            do {
                try {
                    logger.logRaw(record);
                } catch (RuntimeException e) {
                    // a failing handler must not end the writer; JBoss handlers report their own errors
                }
                count++;
            } while ((record = queue.poll()) != null);
        } finally {
            for (WriterHandler handler : held) {
                try {
                    handler.setAutoFlush(true);
                } catch (RuntimeException e) {
                    // as above: the handler reports its own write errors
                }
            }
        }
        return count;
    }

    /**
     * Turns off auto-flush on the stream handlers the records reach (the logger's, its parents' while it
     * uses them, and those nested in them) and returns the ones it turned off.
     */
    private List<WriterHandler> holdFlushes() {
        List<WriterHandler> held = new ArrayList<>(2);
        for (java.util.logging.Logger at = logger; at != null; at = at.getParent()) {
            hold(at.getHandlers(), held);
            if (!at.getUseParentHandlers()) {
                break;
            }
        }
        return held;
    }

    private static void hold(Handler[] handlers, List<WriterHandler> held) {
        for (Handler handler : handlers) {
            if (handler instanceof WriterHandler writer) {
                if (writer.isAutoFlush() && !held.contains(writer)) {
                    writer.setAutoFlush(false);
                    held.add(writer);
                }
            } else if (handler instanceof ExtHandler parent) {
                hold(parent.getHandlers(), held);
            }
        }
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
