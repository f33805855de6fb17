package io.github.dpsjwt.allocation.rest;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.decision.Decisions;
import io.github.dpsjwt.error.Reason;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * How the webhook lets go of its clients during a shutdown (SIGTERM: readiness goes down, and requests are still
 * served for {@code quarkus.shutdown.delay} so that the platform stops routing here):
 * <ul>
 * <li>every answer carries {@code Connection: close}, so that no client sends its next request on a connection the
 * server is about to close;</li>
 * <li>in the last part of the delay ({@link #LAST_PART}, at most half of it), new requests are answered 503
 * {@code shutting_down} (which DPS retries, elsewhere) instead of being taken on. Quarkus counts a request done as
 * its answer is handed to the connection, a moment before the bytes are written, and closes the server when the
 * delay is over and none is left: an allocation answered in that moment could be lost. So none is taken then.</li>
 * </ul>
 */
@ApplicationScoped
public class ClosingConnections {

    /** How long before the end of the delay new requests stop being taken on. */
    static final Duration LAST_PART = Duration.ofMillis(500);

    private final long delayNanos;
    private final String body;
    private volatile long shutdownStartedAt;
    private volatile boolean closing;

    ClosingConnections(@ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay, ObjectMapper json)
            throws JsonProcessingException {
        this.delayNanos = delay.orElse(Duration.ZERO).toNanos();
        this.body = RawAnswer.body(json, Reason.SHUTTING_DOWN, "this replica is shutting down; retry");
    }

    void shutdownStarts(@Observes ShutdownDelayInitiatedEvent event) {
        shutdownStartedAt = System.nanoTime();
        closing = true;
    }

    void register(@Observes Filters filters) {
        filters.register(context -> {
            if (closing) {
                context.response().putHeader(HttpHeaders.CONNECTION, "close");
                if (takesNoMoreWork(System.nanoTime() - shutdownStartedAt) && context.request().path().equals(AllocationResource.PATH)) {
                    Decisions.rejected(Reason.SHUTTING_DOWN);
                    RawAnswer.send(context.response().putHeader("Retry-After", "1"), Reason.SHUTTING_DOWN, body);
                    return;
                }
            }
            context.next();
        }, 200);
    }

    /** Whether, this long into the shutdown, the delay is in its last part. */
    boolean takesNoMoreWork(long sinceShutdownNanos) {
        long lastPart = Math.min(LAST_PART.toNanos(), delayNanos / 2);
        return sinceShutdownNanos >= delayNanos - lastPart;
    }
}
