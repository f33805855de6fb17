package io.github.dpsjwt.allocation.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Profiles;
import io.github.dpsjwt.support.Ready;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Clients that send their body slowly, too much of it, or give up half way: they hold no worker thread, health
 * still answers at once, each ends in one WARN line and no stack trace, and the caller key they present appears in
 * no log record.
 */
@QuarkusTest
@TestProfile(Profiles.Hostile.class)
class HostileClientsTest {

    static final String KEY = "s3cret-caller-key";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Ready.await();
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    /** Headers for a body of {@code length} bytes, and all of it but the last {@code missing} bytes. */
    byte[] partialRequest(int length, int missing) {
        String head = "POST /api/validatejwt?code=" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n";
        byte[] body = ("{\"deviceRuntimeContext\":{\"registrationId\":\"" + "a".repeat(length - 46) + "\"}}").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length() + length - missing];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(body, 0, out, head.length(), length - missing);
        return out;
    }

    static int workerThreads() {
        return (int) ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Test
    void shouldHoldNoThreadForSlowBodiesAndTimeThemOut() throws Exception {
        int threadsBefore = workerThreads();
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write(partialRequest(60_000, 1_000));
                slow.add(socket);
            }
            Thread.sleep(300);
            long started = System.nanoTime();
            Management.request().get("/q/health/ready").then().statusCode(200);
            long healthMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(healthMillis < 1000, "health answered in " + healthMillis + " ms");
            assertTrue(workerThreads() < threadsBefore + 20, "threads: " + threadsBefore + " -> " + workerThreads());
            for (Socket socket : slow) {
                socket.setSoTimeout(5000);
                String answer = read(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
                assertTrue(answer.contains("\"error\":\"request_timeout\""), answer);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        awaitDecisionLines();
        assertEquals(200, count("reason=request_timeout"));
        assertQuiet();
    }

    @Test
    void shouldRefuseAnOversizeChunkedBodyInOneWarnLine() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/validatejwt?code=" + KEY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String chunk = "a".repeat(8192);
            try {
                for (int i = 0; i < 20; i++) {
                    out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException closedByTheWebhook) {
                // it answers and closes once the limit is passed
            }
            socket.setSoTimeout(5000);
            String answer = read(socket.getInputStream());
            // Quarkus REST's reader answers it, without a body: it counts a chunked body as it comes
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        }
        awaitDecisionLines();
        assertEquals(1, count("reason=payload_too_large"));
        assertQuiet();
    }

    @Test
    void shouldLogAnAbandonedBodyInOneWarnLine() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(partialRequest(5_000, 100));
            Thread.sleep(200);
        }
        awaitDecisionLines();
        assertEquals(1, count("reason=request_aborted"));
        assertQuiet();
    }

    /** No ERROR, no stack trace, and the caller key nowhere. */
    void assertQuiet() {
        for (LogRecord record : records) {
            String text = record.getMessage() + " " + java.util.Arrays.toString(record.getParameters());
            assertFalse(text.contains(KEY), "the caller key in: " + text);
            assertTrue(record.getLevel().intValue() < Level.SEVERE.intValue(), "an ERROR: " + text);
            assertTrue(record.getThrown() == null, "a stack trace: " + text);
        }
        for (LogRecord record : records) {
            if (record.getMessage() != null && record.getMessage().contains("outcome=")) {
                assertEquals(Level.WARNING.intValue(), record.getLevel().intValue(), record.getMessage());
            }
        }
    }

    long count(String text) {
        return records.stream().filter(r -> r.getMessage() != null && r.getMessage().contains(text)).count();
    }

    /** The decision lines are written by their own thread, every 10 ms. */
    static void awaitDecisionLines() throws InterruptedException {
        Thread.sleep(300);
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
    }
}
