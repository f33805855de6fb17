package io.github.dpsjwt.error;

import java.io.IOException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.github.dpsjwt.decision.Decisions;

/**
 * The one place where failures become HTTP answers: a status chosen for DPS and a small JSON body
 * with a stable reason code. No stack trace ever leaves the process.
 */
public class ErrorMapper {

    /** What Quarkus REST's body reader says when a body sent without a length passes the limit. */
    private static final String TOO_LARGE = "Request too large";

    /** Seconds DPS (or a person) should wait before retrying a 503. */
    static final String RETRY_AFTER_SECONDS = "5";

    @ServerExceptionMapper
    public Response refusal(RefusalException e) {
        return respond(e.reason(), e.getMessage());
    }

    /** Declared for the subtypes too, so that Quarkus's own (empty-bodied) Jackson mappers never answer. */
    @ServerExceptionMapper({ JacksonException.class, MismatchedInputException.class, JsonParseException.class,
            InvalidFormatException.class, ValueInstantiationException.class })
    public Response unreadableJson(JacksonException e) {
        return logged(Reason.MALFORMED_REQUEST, "request body is not a valid AllocationRequest: " + describe(e));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> logged(Reason.NOT_FOUND, "no such endpoint; DPS calls POST /api/validatejwt");
            case 405 -> logged(Reason.METHOD_NOT_ALLOWED, "use POST");
            case 413 -> logged(Reason.PAYLOAD_TOO_LARGE, "request body is over the size limit");
            case 415 -> logged(Reason.UNSUPPORTED_MEDIA_TYPE, "send Content-Type: application/json");
            default -> {
                if (status < 400 || status >= 500) {
                    yield unexpected(e);
                }
                yield e.getCause() instanceof JacksonException je ? unreadableJson(je)
                        : logged(Reason.MALFORMED_REQUEST, "request rejected (HTTP " + status + ")");
            }
        };
    }

    /**
     * The body could not be read: over the limit (sent chunked, so only counted as it came, and already answered
     * 413 by Quarkus REST's reader, which closed the connection), or the connection broke. One WARN line, no stack.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e) {
        if (TOO_LARGE.equals(e.getMessage())) {
            Decisions.rejected(Reason.PAYLOAD_TOO_LARGE);
            return respond(Reason.PAYLOAD_TOO_LARGE, "request body is over the size limit");
        }
        Decisions.aborted("the request body could not be read");
        return respond(Reason.MALFORMED_REQUEST, "the request body could not be read");
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        Decisions.error(e);
        return respond(Reason.INTERNAL_ERROR, "internal error; see the webhook's log");
    }

    private static Response logged(Reason reason, String message) {
        Decisions.rejected(reason);
        return respond(reason, message);
    }

    /** Builds the answer for a reason; shared with the HTTP filters that answer before any resource runs. */
    public static Response respond(Reason reason, String message) {
        Response.ResponseBuilder builder = Response.status(reason.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(reason, message));
        if (reason.status() == 503) {
            builder.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return builder.build();
    }

    /**
     * Names where the body went wrong without echoing any of it: Jackson's own messages quote input,
     * which may be a device token.
     */
    private static String describe(JacksonException e) {
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var ref : mismatch.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return "field '" + path + "' has the wrong type";
        }
        var location = e.getLocation();
        return location == null ? "not valid JSON"
                : "not valid JSON at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
