package io.github.dpsjwt.caller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class CallerKeyRedactionTest {

    final CallerKeyRedaction filter = new CallerKeyRedaction();

    @Test
    void shouldRedactTheCodeQueryValueInMessagesAndParameters() {
        LogRecord record = new LogRecord(Level.SEVERE, "HTTP Request to /api/validatejwt?code=abc%2Fdef&x=1 failed, id {0}");
        record.setParameters(new Object[] { "GET /api/validatejwt?x=1&code=k3y HTTP/1.1", 42 });
        assertTrue(filter.isLoggable(record));
        assertEquals("HTTP Request to /api/validatejwt?code=<redacted>&x=1 failed, id {0}", record.getMessage());
        assertEquals("GET /api/validatejwt?x=1&code=<redacted> HTTP/1.1", record.getParameters()[0]);
        assertEquals(42, record.getParameters()[1]);
    }

    @Test
    void shouldLeaveOtherLinesAlone() {
        for (String line : new String[] { "registrationId=dev-001 outcome=allocated", "the code path", "zipcode=123", "" }) {
            LogRecord record = new LogRecord(Level.INFO, line);
            filter.isLoggable(record);
            assertEquals(line, record.getMessage());
        }
        assertEquals("/a?CODE=<redacted>", CallerKeyRedaction.redact("/a?CODE=x"));
    }
}
