package io.github.dpsjwt.allocation.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.decision.Decisions;
import io.github.dpsjwt.error.Reason;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;

/**
 * Refuses a request whose declared length is over {@code quarkus.http.limits.max-body-size} with the
 * usual JSON error body, before any of it is read. (Quarkus itself still guards bodies sent without a
 * length, with an empty 413.)
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long limit;
    private final String body;

    BodyLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper json)
            throws JsonProcessingException {
        this.limit = limit.asLongValue();
        this.body = RawAnswer.body(json, Reason.PAYLOAD_TOO_LARGE, "request body is over " + this.limit + " bytes");
    }

    void register(@Observes Filters filters) {
        filters.register(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaredOver(length)) {
                Decisions.rejected(Reason.PAYLOAD_TOO_LARGE);
                RawAnswer.send(context.response(), Reason.PAYLOAD_TOO_LARGE, body);
                return;
            }
            context.next();
        }, 100);
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
