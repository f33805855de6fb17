package io.github.dpsjwt.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A sample rate outside 0 to 1 stops the start with a message that names the setting's range. */
class DecisionsTest {

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
    void shouldRefuseASampleRateOutsideZeroToOne(double rate) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Decisions.start(null, rate));
        assertEquals("allocator.decisions.sample must be between 0 and 1, not " + rate, e.getMessage());
    }
}
