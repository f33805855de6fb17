package io.github.dpsjwt.allocation.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ClosingConnectionsTest {

    static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void shouldStopTakingWorkInTheLastPartOfTheDelay() throws Exception {
        ClosingConnections threeSeconds = new ClosingConnections(Optional.of(Duration.ofSeconds(3)), new ObjectMapper());
        assertFalse(threeSeconds.takesNoMoreWork(0));
        assertFalse(threeSeconds.takesNoMoreWork(ms(2_499)));
        assertTrue(threeSeconds.takesNoMoreWork(ms(2_500)));
        ClosingConnections short_ = new ClosingConnections(Optional.of(Duration.ofMillis(400)), new ObjectMapper());
        assertFalse(short_.takesNoMoreWork(ms(199)), "at most half of a short delay");
        assertTrue(short_.takesNoMoreWork(ms(200)));
        ClosingConnections none = new ClosingConnections(Optional.empty(), new ObjectMapper());
        assertTrue(none.takesNoMoreWork(0), "without a delay the shutdown takes no work at all");
    }
}
