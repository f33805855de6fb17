package io.github.dpsjwt.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.WriterHandler;
import org.junit.jupiter.api.Test;

class DecisionWriterTest {

    /** What a handler saw: the record's message and thread, and the thread that published it. */
    record Seen(String message, String recordThread, String publishingThread) {
    }

    static final class Capture extends ExtHandler {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate;

        @Override
        protected void doPublish(ExtLogRecord record) {
            CountDownLatch g = gate;
            if (g != null && Thread.currentThread().getName().equals("decision-log")) {
                try {
                    g.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            seen.add(new Seen(record.getMessage(), record.getThreadName(), Thread.currentThread().getName()));
        }
    }

    private final Capture capture = new Capture();
    private final Logger logger = logger(capture);

    /** A decision logger of its own log context, publishing to the handlers in this order. */
    private static Logger logger(Handler... handlers) {
        Logger logger = LogContext.create().getLogger(Decisions.CATEGORY);
        logger.setLevel(Level.INFO);
        logger.setUseParentHandlers(false);
        for (Handler handler : handlers) {
            logger.addHandler(handler);
        }
        return logger;
    }

    private static ExtLogRecord record(String message) {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, message, ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        record.disableCallerCalculation();
        return record;
    }

    private static List<String> messages(List<Seen> seen) {
        return seen.stream().map(Seen::message).toList();
    }

    @Test
    void shouldWriteQueuedLinesInOrderFromItsOwnThreadKeepingTheCallersName() throws InterruptedException {
        DecisionWriter writer = new DecisionWriter(logger, 1024);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add("line " + i);
            writer.submit(record("line " + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (capture.seen.size() < sent.size() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(sent, messages(capture.seen));
        String caller = Thread.currentThread().getName();
        assertTrue(capture.seen.stream().allMatch(s -> s.publishingThread().equals("decision-log")
                && s.recordThread().equals(caller)), "published off the caller's thread, named after it");
        writer.close();
        assertTrue(writer.stopped());
    }

    @Test
    void shouldLoseNoLineWhenClosedWhileThreadsWrite() throws InterruptedException {
        DecisionWriter writer = new DecisionWriter(logger, 64);
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch started = new CountDownLatch(threads);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                started.countDown();
                for (int i = 0; i < perThread; i++) {
                    writer.submit(record(id + "-" + i));
                }
            });
            thread.start();
            writers.add(thread);
        }
        started.await();
        writer.close();
        for (Thread thread : writers) {
            thread.join();
        }
        Set<String> got = new HashSet<>(messages(capture.seen));
        assertEquals(threads * perThread, capture.seen.size(), "every line exactly once");
        assertEquals(threads * perThread, got.size());
    }

    @Test
    void shouldWriteOnTheCallersThreadWhenTheQueueIsFull() throws InterruptedException {
        capture.gate = new CountDownLatch(1);
        DecisionWriter writer = new DecisionWriter(logger, 1);
        writer.submit(record("held by the writer"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // wait until the writer has taken the first line and is stuck in the handler
        while (System.nanoTime() < deadline) {
            Thread.sleep(DecisionWriter.PERIOD_MILLIS);
            if (writer.queued() == 0) {
                break;
            }
        }
        writer.submit(record("queued"));
        writer.submit(record("over capacity"));
        assertEquals(List.of(new Seen("over capacity", Thread.currentThread().getName(), Thread.currentThread().getName())),
                capture.seen, "the third line was written by its caller at once");
        capture.gate.countDown();
        writer.close();
        assertEquals(Set.of("held by the writer", "queued", "over capacity"), new HashSet<>(messages(capture.seen)));
    }

    @Test
    void shouldFlushAStreamHandlerOncePerBatchAndLeaveItAutoFlushing() throws InterruptedException {
        AtomicInteger flushes = new AtomicInteger();
        StringWriter out = new StringWriter() {
            @Override
            public void flush() {
                flushes.incrementAndGet();
            }
        };
        WriterHandler stream = new WriterHandler();
        stream.setFormatter(new PatternFormatter("%s%n"));
        stream.setWriter(out);
        Logger logger = logger(stream, capture);
        flushes.set(0);

        capture.gate = new CountDownLatch(1);
        DecisionWriter writer = new DecisionWriter(logger, 1024);
        writer.submit(record("line 0"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // the writer has taken the first line and waits in the second handler: the next 99 make one batch with it
        while (writer.queued() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        for (int i = 1; i < 100; i++) {
            writer.submit(record("line " + i));
        }
        capture.gate.countDown();
        writer.close();

        assertEquals(100, out.toString().lines().count());
        assertEquals(1, flushes.get(), "one flush for the batch of 100");
        assertTrue(stream.isAutoFlush(), "auto-flush is on again after the batch");
        logger.info("after the batch");
        assertEquals(2, flushes.get(), "a line logged outside a batch flushes as before");
    }

    @Test
    void shouldWriteOnTheCallersThreadOnceClosed() {
        DecisionWriter writer = new DecisionWriter(logger, 16);
        writer.close();
        assertTrue(writer.stopped());
        writer.submit(record("after close"));
        assertEquals(List.of(new Seen("after close", Thread.currentThread().getName(), Thread.currentThread().getName())),
                capture.seen);
    }

    @Test
    void shouldFormatMillisecondsWithThreeDecimals() {
        assertEquals("0.083", Decisions.millis(83_400));
        assertEquals("12.005", Decisions.millis(12_005_999));
        assertEquals("1.100", Decisions.millis(1_100_000));
        assertEquals("1500.000", Decisions.millis(1_500_000_000));
        assertEquals("0.000", Decisions.millis(-5));
    }
}
