package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.support.DpsRequests;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.TestFleet;

/**
 * SIGTERM under load, as Container Apps and Functions send it on scale-in and revision swaps, on the packaged
 * application: readiness goes down first while allocations are still served; every request sent before the
 * signal or during the delay is answered with a 200, but for the delay's last half second, when new requests get 503
 * (which DPS retries); every allocation in the webhook's log reached its client; new connections are refused once
 * it closes; and the process exits within the shutdown delay plus timeout, without an ERROR.
 */
class GracefulShutdownIT {

    static final int CLIENTS = 16;
    static final long DELAY_MILLIS = 1500;

    /** One request: when it was sent, relative to the signal, and what came back (a status, or an error). */
    record Outcome(long sentMillis, String result) {
    }

    @Test
    void shouldAnswerEveryRequestItReceivedAndExitInTime() throws Exception {
        PackagedApp app = PackagedApp.start(Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()),
                "ALLOCATOR_SHUTDOWN_DELAY", DELAY_MILLIS + "ms", "ALLOCATOR_SHUTDOWN_TIMEOUT", "10s"));
        Process process = app.process;
        String body = new ObjectMapper().writeValueAsString(
                DpsRequests.individual("dev-001", Jwts.device("ES256", "dev-001").sign(TestFleet.EC.getPrivate())));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        URI allocate = URI.create(app.url("/api/validatejwt"));
        URI ready = URI.create(app.managementUrl("/q/health/ready"));

        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        try {
            app.awaitReady(client);
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Outcome> readiness = new ConcurrentLinkedQueue<>();
            long[] signalAt = { Long.MAX_VALUE };
            for (int i = 0; i < CLIENTS; i++) {
                clients.submit(() -> {
                    while (process.isAlive()) {
                        long sent = System.nanoTime();
                        String result;
                        try {
                            result = Integer.toString(client.send(HttpRequest.newBuilder(allocate).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.discarding()).statusCode());
                        } catch (java.net.ConnectException e) {
                            result = "refused"; // never reached the webhook: the port is closed
                        } catch (IOException e) {
                            result = "error: " + e.getClass().getSimpleName();
                        } catch (InterruptedException e) {
                            return;
                        }
                        outcomes.add(new Outcome(sent, result));
                    }
                });
            }
            clients.submit(() -> {
                while (process.isAlive()) {
                    long sent = System.nanoTime();
                    try {
                        readiness.add(new Outcome(sent, Integer.toString(client.send(HttpRequest.newBuilder(ready).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode())));
                        Thread.sleep(50);
                    } catch (IOException e) {
                        readiness.add(new Outcome(sent, "error"));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(2000);
            signalAt[0] = System.nanoTime();
            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(DELAY_MILLIS + 10_000 + 3_000, TimeUnit.MILLISECONDS), "exits within delay + timeout");
            long exitedMillis = (System.nanoTime() - signalAt[0]) / 1_000_000;
            clients.shutdown();
            assertTrue(clients.awaitTermination(20, TimeUnit.SECONDS));

            Map<String, Integer> before = new TreeMap<>();
            Map<String, Integer> duringDelay = new TreeMap<>();
            Map<String, Integer> after = new TreeMap<>();
            for (Outcome outcome : outcomes) {
                long at = (outcome.sentMillis() - signalAt[0]) / 1_000_000;
                // the delay serves, but for its last half second, when new requests are answered 503 shutting_down
                (at < 0 ? before : at < DELAY_MILLIS - 700 ? duringDelay : after).merge(outcome.result(), 1, Integer::sum);
            }
            System.out.printf("graceful shutdown: exit %d ms after SIGTERM; before %s, during the delay %s, after %s%n", exitedMillis,
                    before, duringDelay, after);
            assertEquals(List.of("200"), List.copyOf(before.keySet()), "every request sent before SIGTERM is allocated: " + before);
            assertEquals(List.of("200"), List.copyOf(duringDelay.keySet()), "the delay still serves: " + duringDelay);
            // after the delay, a connection the webhook no longer reads (the port closing) ends in an error; but every
            // request it did read was answered: as many allocations logged as 200s received
            String output = app.output();
            long allocated = output.lines().filter(line -> line.contains("outcome=allocated")).count();
            long answered200 = outcomes.stream().filter(outcome -> outcome.result().equals("200")).count();
            assertEquals(allocated, answered200, "every allocation the webhook made reached its client");
            boolean downWhileServing = readiness.stream().anyMatch(o -> o.result().equals("503")
                    && o.sentMillis() > signalAt[0] && (o.sentMillis() - signalAt[0]) / 1_000_000 < DELAY_MILLIS - 700);
            assertTrue(downWhileServing, "readiness goes down during the delay, while allocations are still served");
            assertTrue(!output.contains("ERROR"), "no ERROR at shutdown:\n" + output);
        } finally {
            clients.shutdownNow();
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
