package io.github.dpsjwt.allocation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.error.ErrorBody;
import io.github.dpsjwt.error.Reason;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The error answer for the HTTP edge's own handlers, which answer on the Vert.x response before Quarkus REST (and
 * so before {@code error/ErrorMapper}) sees the request: the same small JSON body, built once, and the connection
 * closed after it, since the rest of the request is never read.
 */
final class RawAnswer {

    private RawAnswer() {
    }

    /** The JSON body for {@code reason}, to build once at start-up. */
    static String body(ObjectMapper json, Reason reason, String message) throws JsonProcessingException {
        return json.writeValueAsString(ErrorBody.of(reason, message));
    }

    /** Sends {@code body} with the reason's status and {@code Connection: close}. */
    static Future<Void> send(HttpServerResponse response, Reason reason, String body) {
        return response.setStatusCode(reason.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
