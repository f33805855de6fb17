package io.github.dpsjwt.decision;

import io.github.dpsjwt.error.Reason;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * The decision log: one line per request, {@code registrationId=… outcome=… reason=…}, under one category
 * ({@value #CATEGORY}) so that it can be routed or silenced on its own. Never a token or a key.
 *
 * <p>Lines keep the time and thread of the request. Between {@link #start()} and {@link #close()}, which
 * the application calls at start-up and shutdown, a {@link DecisionWriter} passes them to the log handlers
 * off the request's thread; outside that window (unit tests, the last requests of a shutdown) the calling
 * thread logs them.
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

    private Decisions() {
    }

    /** Logs an allocation. */
    public static void allocated(String registrationId, String hub, int credential, String algorithm, long startedNanos) {
        if (LOGGER.isLoggable(Level.INFO)) {
            log(Level.INFO, "registrationId=" + registrationId + " outcome=allocated hub=" + hub + " credential=" + credential
                    + " alg=" + algorithm + " latencyMs=" + millisSince(startedNanos), null);
        }
    }

    /**
     * Logs a refusal of a request that reached the allocation logic.
     *
     * @param registrationId the request's registration id, or {@code null} when it had no valid one
     */
    public static void refused(String registrationId, Reason reason, long startedNanos) {
        if (LOGGER.isLoggable(Level.INFO)) {
            log(Level.INFO, "registrationId=" + (registrationId == null ? "-" : registrationId) + " outcome=refused reason="
                    + reason.code() + " status=" + reason.status() + " latencyMs=" + millisSince(startedNanos), null);
        }
    }

    /** Logs a request refused before its registration id was read (caller, size, media type, JSON). */
    public static void rejected(Reason reason) {
        // a body too large or too slow is how a flood looks: an operator should see it without decision lines on
        Level level = reason == Reason.PAYLOAD_TOO_LARGE || reason == Reason.REQUEST_TIMEOUT ? WARN : Level.INFO;
        if (LOGGER.isLoggable(level)) {
            log(level, "outcome=rejected reason=" + reason.code() + " status=" + reason.status(), null);
        }
    }

    /** Logs a request that ended without an answer (its connection broke while it was read): one WARN line, no stack. */
    public static void aborted(String why) {
        if (LOGGER.isLoggable(WARN)) {
            log(WARN, "outcome=aborted reason=request_aborted detail=\"" + why + "\"", null);
        }
    }

    /** Logs a request that failed in a way no reason covers, with the exception. */
    public static void error(Throwable e) {
        log(org.jboss.logmanager.Level.ERROR, "outcome=error reason=internal_error", e);
    }

    /** Starts the writer thread, unless it runs. */
    public static void start() {
        synchronized (LOCK) {
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

    private static void log(Level level, String message, Throwable thrown) {
        ExtLogRecord record = new ExtLogRecord(level, message, ExtLogRecord.FormatStyle.NO_FORMAT, LOGGER_CLASS);
        record.setLoggerName(CATEGORY);
        record.setThrown(thrown);
        record.disableCallerCalculation();
        record.copyMdc();
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
