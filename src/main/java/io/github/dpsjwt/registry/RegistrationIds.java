package io.github.dpsjwt.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The DPS registration id rules, in one place for the webhook's requests and the registry file.
 *
 * <p>DPS accepts up to 128 characters of ASCII letters, digits and {@code - . _ :}, and compares ids
 * case-insensitively, so lookups use {@link #normalize(String)}.
 */
public final class RegistrationIds {

    /** The longest registration id DPS accepts. */
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private RegistrationIds() {
    }

    /** Whether {@code id} is a registration id DPS could send. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The form used as a lookup key: DPS treats ids that differ only in case as the same device. */
    public static String normalize(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
