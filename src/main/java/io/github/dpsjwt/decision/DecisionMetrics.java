package io.github.dpsjwt.decision;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The decisions as Prometheus metrics: {@value #DECISIONS}{@code _total} by outcome and reason code, and the time
 * of every webhook request, {@value #REQUESTS}{@code _seconds} by HTTP status. Labels are fixed sets (never a
 * registration id); every outcome and reason is registered at start, at zero, so that a dashboard sees each
 * series from the first scrape.
 */
public final class DecisionMetrics {

    /** Counter of decisions; labels {@code outcome} and {@code reason}. */
    public static final String DECISIONS = "allocator.decisions";
    /** Histogram of webhook request time, from its headers to its answer; label {@code status}. */
    public static final String REQUESTS = "allocator.requests";

    /** The reason label of an allocation. */
    static final String NO_REASON = "none";
    /** The reason label of a request whose connection broke before it was answered. */
    static final String ABORTED = "request_aborted";

    private static final Duration[] REQUEST_BUCKETS = Meters.millis(0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 10_000);

    private final MeterRegistry registry;
    private final Counter allocated;
    private final Counter[] refused;
    private final Counter[] rejected;
    private final Counter aborted;
    private final Counter error;
    private final AtomicReferenceArray<Timer> requests = new AtomicReferenceArray<>(600);

    /** Registers every decision counter, at zero, and the request histogram for the statuses the webhook answers. */
    public DecisionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.allocated = counter(registry, "allocated", NO_REASON);
        Reason[] reasons = Reason.values();
        this.refused = new Counter[reasons.length];
        this.rejected = new Counter[reasons.length];
        for (Reason reason : reasons) {
            refused[reason.ordinal()] = counter(registry, "refused", reason.code());
            rejected[reason.ordinal()] = counter(registry, "rejected", reason.code());
        }
        this.aborted = counter(registry, "aborted", ABORTED);
        this.error = counter(registry, "error", Reason.INTERNAL_ERROR.code());
        request(200);
        for (Reason reason : reasons) {
            request(reason.status());
        }
    }

    private static Counter counter(MeterRegistry registry, String outcome, String reason) {
        return Counter.builder(DECISIONS)
                .description("Webhook decisions: allocated, refused (a device's request that reached the allocation"
                        + " logic), rejected (refused before its registration id was read), aborted, error")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
    }

    void allocated() {
        allocated.increment();
    }

    void refused(Reason reason) {
        refused[reason.ordinal()].increment();
    }

    void rejected(Reason reason) {
        rejected[reason.ordinal()].increment();
    }

    void aborted() {
        aborted.increment();
    }

    void error() {
        error.increment();
    }

    /** Records a webhook request answered with {@code status} after {@code nanos}. */
    void request(int status, long nanos) {
        request(status).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer request(int status) {
        int slot = status >= 100 && status < 600 ? status : 0;
        Timer timer = requests.get(slot);
        if (timer == null) {
            timer = Timer.builder(REQUESTS)
                    .description("Webhook requests, from their headers to their answer, by HTTP status")
                    .tag("status", slot == 0 ? "other" : Integer.toString(status))
                    .serviceLevelObjectives(REQUEST_BUCKETS)
                    .register(registry);
            requests.set(slot, timer);
        }
        return timer;
    }
}
