package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistrationIdsTest {

    @Test
    void shouldAcceptExactlyTheCharactersDpsAccepts() {
        StringBuilder accepted = new StringBuilder();
        for (char c = 0; c < 0x200; c++) {
            if (RegistrationIds.isValid("a" + c + "z")) {
                accepted.append(c);
            }
        }
        assertEquals("-.0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz", accepted.toString());
    }

    @Test
    void shouldAcceptOneToOneHundredTwentyEightCharacters() {
        assertTrue(RegistrationIds.isValid("x"));
        assertTrue(RegistrationIds.isValid("x".repeat(128)));
        assertFalse(RegistrationIds.isValid("x".repeat(129)));
        assertFalse(RegistrationIds.isValid(""));
        assertFalse(RegistrationIds.isValid(null));
    }

    @Test
    void shouldNormalizeCaseOnly() {
        assertEquals("dev-01.a_b:c", RegistrationIds.normalize("DEV-01.A_b:C"));
    }
}
