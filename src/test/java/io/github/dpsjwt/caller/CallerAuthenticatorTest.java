package io.github.dpsjwt.caller;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CallerAuthenticatorTest {

    @Test
    void shouldAcceptAnyConfiguredKeyAndNothingElse() {
        CallerAuthenticator authenticator = new CallerAuthenticator(List.of("key-one", " key-two "));
        assertTrue(authenticator.enabled());
        assertTrue(authenticator.accepts("key-one"));
        assertTrue(authenticator.accepts("key-two"));
        assertFalse(authenticator.accepts("key-on"));
        assertFalse(authenticator.accepts("key-one "));
        assertFalse(authenticator.accepts(""));
        assertFalse(authenticator.accepts(null));
    }

    @Test
    void shouldAcceptEveryoneWhenNoKeyIsConfigured() {
        CallerAuthenticator open = new CallerAuthenticator(List.of(" ", ""));
        assertFalse(open.enabled());
        assertTrue(open.accepts(null));
    }
}
