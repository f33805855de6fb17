package io.github.dpsjwt.decision;

import org.jboss.logging.MDC;

/**
 * The W3C trace context ({@code traceparent} header) of the request being served, carried into its log lines as
 * the MDC keys {@value #TRACE_ID} and {@value #PARENT_ID}, so that a DPS request can be followed from Application
 * Insights (whose operation id is the trace id) to the webhook's decision. A header that is not a valid
 * {@code traceparent} is ignored, never logged.
 *
 * <p>Quarkus keeps the MDC of a request in its Vert.x context, so the keys set for one request are never seen by
 * another served on the same thread.
 */
public final class TraceContext {

    /** The MDC key of the trace id: 32 lowercase hex digits. */
    public static final String TRACE_ID = "traceId";
    /** The MDC key of the caller's span id: 16 lowercase hex digits. */
    public static final String PARENT_ID = "parentId";
    /** The HTTP header that carries the trace context. */
    public static final String HEADER = "traceparent";

    private static final int LENGTH = 55;

    private TraceContext() {
    }

    /**
     * Sets the request's trace context from its {@code traceparent} header.
     *
     * @return whether the header was valid and the keys were set
     */
    public static boolean enter(String traceparent) {
        if (!isValid(traceparent)) {
            return false;
        }
        MDC.put(TRACE_ID, traceparent.substring(3, 35));
        MDC.put(PARENT_ID, traceparent.substring(36, 52));
        return true;
    }

    /** Removes the keys {@link #enter(String)} set. */
    public static void leave() {
        MDC.remove(TRACE_ID);
        MDC.remove(PARENT_ID);
    }

    /** The trace id of the request being served, or {@code null}. */
    static String traceId() {
        Object id = MDC.get(TRACE_ID);
        return id == null ? null : id.toString();
    }

    /**
     * Whether a header is a {@code traceparent} of the W3C Trace Context recommendation: {@code 00-<trace id>-<parent
     * id>-<flags>}, lowercase hex, neither id all zeros; a later version may append {@code -...} fields, version
     * {@code ff} is invalid.
     */
    static boolean isValid(String header) {
        if (header == null || header.length() < LENGTH
                || header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-') {
            return false;
        }
        String version = header.substring(0, 2);
        if (!hex(header, 0, 2) || version.equals("ff") || !hex(header, 53, 55)) {
            return false;
        }
        if (header.length() > LENGTH && (version.equals("00") || header.charAt(LENGTH) != '-')) {
            return false;
        }
        return hex(header, 3, 35) && hex(header, 36, 52) && !zeros(header, 3, 35) && !zeros(header, 36, 52);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
