package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HostNamesTest {

    /** The regular expression the check replaced, kept as its reference. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    @Test
    void shouldAcceptHubHostNames() {
        assertTrue(HostNames.isValid("my-hub.azure-devices.net"));
        assertTrue(HostNames.isValid("a"));
        assertTrue(HostNames.isValid("x".repeat(63) + ".net"));
        assertTrue(HostNames.isValid(("a".repeat(62) + ".").repeat(4) + "b"), "253 characters");
    }

    @Test
    void shouldRefuseWhatIsNotAHostName() {
        for (String bad : new String[] { "", ".", "hub.", ".hub", "hub..net", "-hub.net", "hub-.net", "hub.-net",
                "hub_1.net", "hub net", "hub.net/", "hüb.net", "x".repeat(64) + ".net",
                ("a".repeat(62) + ".").repeat(4) + "bc" }) {
            assertFalse(HostNames.isValid(bad), bad);
        }
    }

    @Test
    void shouldAgreeWithTheRegularExpressionOnRandomNames() {
        Random random = new Random(42);
        String alphabet = "ab9Z-._-..";
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(10) == 0 ? 240 + random.nextInt(20) : random.nextInt(12);
            StringBuilder name = new StringBuilder();
            for (int j = 0; j < length; j++) {
                name.append(random.nextInt(8) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : 'h');
            }
            String s = name.toString();
            assertEquals(REFERENCE.matcher(s).matches(), HostNames.isValid(s), s);
        }
    }
}
