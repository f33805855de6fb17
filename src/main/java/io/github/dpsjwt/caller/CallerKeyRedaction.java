package io.github.dpsjwt.caller;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps caller keys out of every log line that goes through a handler with this filter (the console's and the
 * log file's, see {@code application.properties}): a {@code code=} query value, as DPS sends the webhook key, is
 * replaced in the message and its parameters, whatever logged it (an access log, Quarkus's or Vert.x's error
 * handlers). The webhook's own lines never quote a request URI; this covers the lines other code writes.
 */
@LoggingFilter(name = "caller-key-redaction")
public final class CallerKeyRedaction implements Filter {

    private static final Pattern CODE = Pattern.compile("(?i)([?&;]code=)[^&\\s\"'#]*");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message != null && mayHoldKey(message)) {
            record.setMessage(redact(message));
        }
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] != null && !(parameters[i] instanceof Number)) {
                    String text = String.valueOf(parameters[i]);
                    if (mayHoldKey(text)) {
                        parameters[i] = redact(text);
                    }
                }
            }
        }
        return true;
    }

    /** A cheap test before the regular expression, which most lines never need. */
    private static boolean mayHoldKey(String text) {
        return text.contains("code=") || text.contains("CODE=") || text.contains("Code=");
    }

    /** {@code text} with every {@code code=} query value replaced by {@code <redacted>}. */
    public static String redact(String text) {
        return CODE.matcher(text).replaceAll("$1<redacted>");
    }
}
