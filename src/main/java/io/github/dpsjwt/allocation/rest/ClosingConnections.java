package io.github.dpsjwt.allocation.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * From the moment a shutdown starts (SIGTERM: readiness goes down and requests are still served for
 * {@code quarkus.shutdown.delay}), every answer carries {@code Connection: close}. A client that keeps its
 * connection open sends its next request on a connection the server is about to close, where it can be lost
 * unanswered; told to close, it opens a new one, which the platform sends to another replica, or which this one
 * still answers (200 during the delay, 503 after, which DPS retries).
 */
@ApplicationScoped
public class ClosingConnections {

    private volatile boolean closing;

    void shutdownStarts(@Observes ShutdownDelayInitiatedEvent event) {
        closing = true;
    }

    void register(@Observes Filters filters) {
        filters.register(context -> {
            if (closing) {
                context.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            context.next();
        }, 200);
    }
}
