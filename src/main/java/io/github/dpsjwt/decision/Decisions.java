package io.github.dpsjwt.decision;

import io.github.dpsjwt.error.Reason;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * The decisions: one log line per request, {@code registrationId=… outcome=… reason=…}, under one category
 * ({@value #CATEGORY}) so that it can be routed or silenced on its own, and the {@link DecisionMetrics} counters.
 * Never a token or a key.
 *
 * <p>Each line also carries its fields in the record's MDC ({@code registrationId}, {@code outcome}, {@code reason},
 * {@code status}, {@code hub}, {@code credential}, {@code alg}, {@code latencyMs}), which the JSON log format writes
 * as JSON fields, beside the request's W3C trace context ({@code traceId}, {@code parentId}) when it came with one
 * ({@link TraceContext}). Allocation and refusal lines are sampled at the rate given to {@link #start};
 * the metrics count every decision.
 *
 * <p>Lines keep the time and thread of the request. Between {@link #start} and {@link #close()}, which the
 * application calls at start-up and shutdown, a {@link DecisionWriter} passes them to the log handlers off the
 * request's thread; outside that window (unit tests, the last requests of a shutdown) the calling thread logs them.
 */
public final class Decisions {

    /** The log category of the decision lines. */
    public static final String CATEGORY = "io.github.dpsjwt.decision";

    /** How many lines may wait for the writer before request threads write their own. */
    static final int QUEUE_CAPACITY = 16_384;

    private static final Logger LOGGER = Logger.getLogger(CATEGORY);
    private static final String LOGGER_CLASS = Decisions.class.getName();
    private static final Object LOCK = new Object();
    private static final Level WARN = org.jboss.logmanager.Level.WARN;
    private static volatile DecisionWriter writer;
    private static volatile DecisionMetrics metrics;
    private static volatile double sample = 1.0;

    private Decisions() {
    }

    /** Logs and counts an allocation. */
    public static void allocated(String registrationId, String hub, int credential, String algorithm, long startedNanos) {
        DecisionMetrics counters = metrics;
        if (counters != null) {
            counters.allocated();
        }
        if (LOGGER.isLoggable(Level.INFO) && sampled()) {
            String latency = millisSince(startedNanos);
            String index = Integer.toString(credential);
            ExtLogRecord record = record(Level.INFO, "registrationId=" + registrationId + " outcome=allocated hub=" + hub
                    + " credential=" + index + " alg=" + algorithm + " latencyMs=" + latency, null);
            record.putMdc("registrationId", registrationId);
            record.putMdc("outcome", "allocated");
            record.putMdc("hub", hub);
            record.putMdc("credential", index);
            record.putMdc("alg", algorithm);
            record.putMdc("latencyMs", latency);
            log(record);
        }
    }

    /**
     * Logs and counts a refusal of a request that reached the allocation logic.
     *
     * @param registrationId the request's registration id, or {@code null} when it had no valid one
     */
    public static void refused(String registrationId, Reason reason, long startedNanos) {
        DecisionMetrics counters = metrics;
        if (counters != null) {
            counters.refused(reason);
        }
        if (LOGGER.isLoggable(Level.INFO) && sampled()) {
            String id = registrationId == null ? "-" : registrationId;
            String latency = millisSince(startedNanos);
            ExtLogRecord record = record(Level.INFO, "registrationId=" + id + " outcome=refused reason=" + reason.code()
                    + " status=" + reason.status() + " latencyMs=" + latency, null);
            record.putMdc("registrationId", id);
            reason(record, "refused", reason);
            record.putMdc("latencyMs", latency);
            log(record);
        }
    }

    /** Logs and counts a request refused before its registration id was read (caller, size, media type, JSON). */
    public static void rejected(Reason reason) {
        DecisionMetrics counters = metrics;
        if (counters != null) {
            counters.rejected(reason);
        }
        // a body too large or too slow is how a flood looks: an operator should see it without decision lines on
        boolean flood = reason == Reason.PAYLOAD_TOO_LARGE || reason == Reason.REQUEST_TIMEOUT;
        Level level = flood ? WARN : Level.INFO;
        if (LOGGER.isLoggable(level) && (flood || sampled())) {
            ExtLogRecord record = record(level, "outcome=rejected reason=" + reason.code() + " status=" + reason.status(),
                    null);
            reason(record, "rejected", reason);
            log(record);
        }
    }

    /**
     * Logs and counts a request that ended without an answer (its connection broke while it was read): one WARN line,
     * no stack.
     */
    public static void aborted(String why) {
        DecisionMetrics counters = metrics;
        if (counters != null) {
            counters.aborted();
        }
        if (LOGGER.isLoggable(WARN)) {
            ExtLogRecord record = record(WARN, "outcome=aborted reason=" + DecisionMetrics.ABORTED + " detail=\"" + why + "\"",
                    null);
            record.putMdc("outcome", "aborted");
            record.putMdc("reason", DecisionMetrics.ABORTED);
            log(record);
        }
    }

    /** Logs and counts a request that failed in a way no reason covers, with the exception. */
    public static void error(Throwable e) {
        DecisionMetrics counters = metrics;
        if (counters != null) {
            counters.error();
        }
        ExtLogRecord record = record(org.jboss.logmanager.Level.ERROR, "outcome=error reason=internal_error", e);
        reason(record, "error", Reason.INTERNAL_ERROR);
        log(record);
    }

    /** Records the time of a webhook request, from its headers to its answer, by the status it was answered with. */
    public static void answered(int status, long nanos) {
        DecisionMetrics counters = metrics;
        if (counters != null) {
            counters.request(status, nanos);
        }
    }

    /**
     * Sets where decisions are counted and how many lines are written, and starts the writer thread unless it runs.
     *
     * @param counters where decisions are counted, or {@code null} not to count them
     * @param sampleRate the share of allocation and refusal lines written, 0 to 1 (WARN and ERROR lines are all
     *        written)
     */
    public static void start(DecisionMetrics counters, double sampleRate) {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("allocator.decisions.sample must be between 0 and 1, not " + sampleRate);
        }
        synchronized (LOCK) {
            metrics = counters;
            sample = sampleRate;
            if (writer == null) {
                writer = new DecisionWriter(LOGGER, QUEUE_CAPACITY);
            }
        }
    }

    /** Writes every queued line and stops the writer thread; later lines are logged by their callers. */
    public static void close() {
        synchronized (LOCK) {
            DecisionWriter current = writer;
            writer = null;
            if (current != null) {
                current.close();
            }
        }
    }

    private static boolean sampled() {
        double rate = sample;
        return rate >= 1 || rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** A record with the request's MDC (its trace context) and, in plain text, the trace id appended. */
    private static ExtLogRecord record(Level level, String message, Throwable thrown) {
        String traceId = TraceContext.traceId();
        ExtLogRecord record = new ExtLogRecord(level, traceId == null ? message : message + " traceId=" + traceId,
                ExtLogRecord.FormatStyle.NO_FORMAT, LOGGER_CLASS);
        record.setLoggerName(CATEGORY);
        record.setThrown(thrown);
        record.disableCallerCalculation();
        record.copyMdc();
        return record;
    }

    private static void reason(ExtLogRecord record, String outcome, Reason reason) {
        record.putMdc("outcome", outcome);
        record.putMdc("reason", reason.code());
        record.putMdc("status", Integer.toString(reason.status()));
    }

    private static void log(ExtLogRecord record) {
        DecisionWriter current = writer;
        if (current != null) {
            current.submit(record);
        } else {
            LOGGER.logRaw(record);
        }
    }

    private static String millisSince(long startedNanos) {
        return millis(System.nanoTime() - startedNanos);
    }

    /** Nanoseconds as milliseconds with three decimals ({@code 0.083}), without a Formatter. */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        long fraction = micros % 1_000;
        return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
