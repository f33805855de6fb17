package io.github.dpsjwt.allocation.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.decision.Decisions;
import io.github.dpsjwt.decision.TraceContext;
import io.github.dpsjwt.error.Reason;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Times every webhook request ({@link Decisions#answered}), carries its W3C trace context into its log lines
 * ({@link TraceContext}), and gives it {@link HttpConfig#requestTimeout()} to arrive: a request not answered by then
 * (its body still trickling in) is answered 408 {@code request_timeout} and its connection closed, with one WARN line.
 * The body itself is read by Quarkus REST on the I/O thread, without a worker thread, because
 * {@code quarkus.rest.input-buffer-size} is the body limit: a larger body would make it switch to blocking reads on
 * a worker thread, which a few hundred slow clients would exhaust, with the health checks that run there.
 */
@ApplicationScoped
public class RequestDeadline {

    /** How often {@link HeapAfterFlood} looks whether a flood of shed bodies is over. */
    private static final long FLOOD_CHECK_MILLIS = 15_000;

    private final long timeoutMillis;
    private final HeapAfterFlood heap = new HeapAfterFlood(System::gc);
    private final String timedOut;

    RequestDeadline(HttpConfig config, ObjectMapper json) throws JsonProcessingException {
        this.timeoutMillis = config.requestTimeout().toMillis();
        this.timedOut = RawAnswer.body(json, Reason.REQUEST_TIMEOUT, "the request did not arrive within " + timeoutMillis + " ms");
    }

    void register(@Observes Router router, Vertx vertx) {
        vertx.setPeriodic(FLOOD_CHECK_MILLIS, id -> vertx.executeBlocking(() -> heap.check(), false));
        // before Quarkus REST's routes, after the HTTP filters (the declared-length check answers before any read)
        router.post(AllocationResource.PATH).order(-100).handler(context -> {
            long started = System.nanoTime();
            boolean traced = TraceContext.enter(context.request().getHeader(TraceContext.HEADER));
            long timer = vertx.setTimer(timeoutMillis, id -> timedOut(context));
            context.addEndHandler(done -> {
                vertx.cancelTimer(timer);
                if (done.failed()) {
                    // the connection closed before the answer was sent: the client gave up half way
                    Decisions.aborted("the connection closed before the request was answered");
                    heap.bodyShed();
                } else {
                    Decisions.answered(context.response().getStatusCode(), System.nanoTime() - started);
                }
                if (traced) {
                    TraceContext.leave();
                }
            });
            context.next();
        }).failureHandler(context -> {
            // a failure after the answer went out: Quarkus REST's reader answered a chunked body over the limit with
            // 413 and closed the connection, and the error mapper's own answer (and its WARN line) came second.
            // Nothing is left to tell the client, and Quarkus's handler would log an ERROR with the request's URI.
            if (context.response().headWritten() || context.response().closed()) {
                return;
            }
            context.next();
        });
    }

    private void timedOut(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        Decisions.rejected(Reason.REQUEST_TIMEOUT);
        heap.bodyShed();
        RawAnswer.send(response, Reason.REQUEST_TIMEOUT, timedOut).onComplete(sent -> response.close());
    }
}
