package io.github.dpsjwt.allocation.rest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.Management;
import io.github.dpsjwt.support.Ready;
import io.github.dpsjwt.support.TestFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The connection cap counts every connection, idle ones included; while slow clients hold every connection the
 * webhook's port allows, health still answers within a second: it is on the management interface, a port of its
 * own, where a platform's probes reach it.
 */
@QuarkusTest
@TestProfile(ConnectionCapTest.SmallCap.class)
class ConnectionCapTest {

    static final int CAP = 20;

    /** The seed key, and a connection cap small enough to fill in a test. */
    public static class SmallCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()),
                    "quarkus.http.limits.max-connections", Integer.toString(CAP));
        }
    }

    /** Whether the webhook's port answers a request on a new connection (a closed connection answers nothing). */
    static boolean answersOnItsPort(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("GET /api/validatejwt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return in.read() >= 0;
        } catch (IOException closedOrTimedOut) {
            return false;
        }
    }

    @Test
    void shouldAnswerHealthWhileEveryConnectionIsHeld() throws Exception {
        Ready.await();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        List<Socket> held = new ArrayList<>();
        try {
            // slow requests, as an attack sends them: headers, then a body that does not come
            for (int i = 0; i < CAP + 5; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write(("POST /api/validatejwt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"deviceRuntimeContext\":").getBytes(StandardCharsets.US_ASCII));
                held.add(socket);
            }
            Thread.sleep(300);
            assertTrue(!answersOnItsPort(port), "the webhook's port is full");
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                Management.request().get("/q/health/ready").then().statusCode(200);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 1000, "health answered in " + millis + " ms");
            }
        } finally {
            close(held);
        }
        awaitServing(port);
    }

    @Test
    void shouldCountConnectionsThatSendNothing() throws Exception {
        Ready.await();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        List<Socket> held = new ArrayList<>();
        try {
            // idle connections, as a descriptor-exhaustion attack opens them: not one byte sent
            for (int i = 0; i < CAP + 5; i++) {
                held.add(new Socket("127.0.0.1", port));
            }
            Thread.sleep(300);
            assertTrue(!answersOnItsPort(port), "idle connections count against the cap");
            Management.request().get("/q/health/ready").then().statusCode(200);
        } finally {
            close(held);
        }
        awaitServing(port);
    }

    private static void close(List<Socket> held) throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
    }

    /** Waits until the webhook's port serves again, as it must once the held connections are closed. */
    private static void awaitServing(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!answersOnItsPort(port)) {
            assertTrue(System.nanoTime() < deadline, "the webhook's port serves again once the connections close");
            Thread.sleep(50);
        }
    }
}
