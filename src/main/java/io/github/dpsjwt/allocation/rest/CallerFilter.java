package io.github.dpsjwt.allocation.rest;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.github.dpsjwt.caller.CallerAuthenticator;
import io.github.dpsjwt.caller.CallerConfig;
import io.github.dpsjwt.decision.Decisions;
import io.github.dpsjwt.error.ErrorMapper;
import io.github.dpsjwt.error.Reason;

/**
 * Answers 401 before the body is read when caller keys are configured and the request presents none
 * of them, as {@code ?code=} or {@code x-functions-key}.
 */
public class CallerFilter {

    private final CallerAuthenticator authenticator;

    CallerFilter(CallerConfig config) {
        this.authenticator = new CallerAuthenticator(config.keys().orElse(List.of()));
    }

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request) {
        if (!authenticator.enabled()) {
            return null;
        }
        String presented = request.getHeaderString("x-functions-key");
        if (presented == null) {
            presented = request.getUriInfo().getQueryParameters().getFirst("code");
        }
        if (authenticator.accepts(presented)) {
            return null;
        }
        Decisions.rejected(Reason.CALLER_UNAUTHORIZED);
        return ErrorMapper.respond(Reason.CALLER_UNAUTHORIZED,
                presented == null ? "present the webhook key as ?code= or x-functions-key" : "the presented key is not accepted");
    }
}
