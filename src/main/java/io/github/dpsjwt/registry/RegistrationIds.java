package io.github.dpsjwt.registry;

import java.util.Locale;

/**
 * The DPS registration id rules, in one place for the webhook's requests and the registry file.
 *
 * <p>DPS accepts up to 128 characters of ASCII letters, digits and {@code - . _ :}, and compares ids
 * case-insensitively, so lookups use {@link #normalize(String)}.
 */
public final class RegistrationIds {

    /** The longest registration id DPS accepts. */
    public static final int MAX_LENGTH = 128;

    private RegistrationIds() {
    }

    /** Whether {@code id} is a registration id DPS could send. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        // a loop, not a regex: the registry index checks every id of a large file at start-up, on a cold JIT
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    /** The form used as a lookup key: DPS treats ids that differ only in case as the same device. */
    public static String normalize(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
