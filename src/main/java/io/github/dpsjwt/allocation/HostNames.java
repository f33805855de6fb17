package io.github.dpsjwt.allocation;

/**
 * DNS host names as {@code linkedHubs} must hold them: 1 to 253 characters, dot-separated labels of 1 to
 * 63 letters, digits and hyphens, no label starting or ending with a hyphen. Written out rather than as a
 * regular expression, which took 2.5 % of the CPU under load for a two-hub list (async-profiler, JDK 25).
 */
final class HostNames {

    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    static boolean isValid(String name) {
        int length = name.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? name.charAt(i) : '.';
            if (c == '.') {
                int label = i - labelStart;
                if (label == 0 || label > MAX_LABEL || name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
