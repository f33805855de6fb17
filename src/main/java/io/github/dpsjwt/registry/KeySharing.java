package io.github.dpsjwt.registry;

import java.util.Arrays;
import java.util.Collection;

/**
 * Marks each credential of a registry with {@link KeyOwners}: {@code SEVERAL_DEVICES} where another device holds
 * the same key text (ignoring white space), {@code ONE_DEVICE} elsewhere. Keys are compared by a 64-bit hash of
 * their text, each hashed once: a million one-key devices take 24 MB for the comparison (three arrays of hashes),
 * not a set of strings. A hash collision can only make a key look shared, which asks more of its tokens, never
 * less.
 */
final class KeySharing {

    private KeySharing() {
    }

    static void mark(Collection<Device> devices) {
        // every credential's hash, in iteration order (read again below in the same order), and each hash once per
        // device for the comparison: a device's own repeated key is not shared
        long[] all = new long[countCredentials(devices)];
        long[] distinct = new long[all.length];
        int n = 0;
        int d = 0;
        for (Device device : devices) {
            int first = n;
            for (Credential credential : device.credentials()) {
                long hash = hash(credential.material());
                all[n++] = hash;
                if (!contains(all, first, n - 1, hash)) {
                    distinct[d++] = hash;
                }
            }
        }
        long[] sorted = Arrays.copyOf(distinct, d);
        Arrays.sort(sorted);
        n = 0;
        for (Device device : devices) {
            for (Credential credential : device.credentials()) {
                credential.owners(occursTwice(sorted, all[n++]) ? KeyOwners.SEVERAL_DEVICES : KeyOwners.ONE_DEVICE);
            }
        }
    }

    private static int countCredentials(Collection<Device> devices) {
        int count = 0;
        for (Device device : devices) {
            count += device.credentials().size();
        }
        return count;
    }

    /** Whether {@code value} is in {@code values[from, to)}. */
    private static boolean contains(long[] values, int from, int to, long value) {
        for (int i = from; i < to; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean occursTwice(long[] sorted, long value) {
        int at = Arrays.binarySearch(sorted, value);
        return (at > 0 && sorted[at - 1] == value) || (at + 1 < sorted.length && sorted[at + 1] == value);
    }

    /** FNV-1a, 64 bits, over the characters that are not white space; a credential already parsed hashes as unknown text. */
    static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        if (text == null) {
            return hash;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                hash = (hash ^ c) * 0x100000001b3L;
            }
        }
        return hash;
    }
}
