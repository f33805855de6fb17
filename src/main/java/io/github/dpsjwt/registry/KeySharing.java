package io.github.dpsjwt.registry;

import java.util.Arrays;
import java.util.Collection;

/**
 * Marks each credential of a registry with {@link KeyOwners}: {@code SEVERAL_DEVICES} where another device holds
 * the same key text (ignoring white space), {@code ONE_DEVICE} elsewhere. Keys are compared by a 64-bit hash of
 * their text, so a million devices take 8 MB for the comparison, not a set of strings; a hash collision can
 * only make a key look shared, which asks more of its tokens, never less.
 */
final class KeySharing {

    private KeySharing() {
    }

    static void mark(Collection<Device> devices) {
        long[] hashes = new long[countCredentials(devices)];
        int n = 0;
        for (Device device : devices) {
            long[] own = hashes(device);
            for (int i = 0; i < own.length; i++) {
                if (!contains(own, i, own[i])) {
                    hashes[n++] = own[i];
                }
            }
        }
        long[] sorted = Arrays.copyOf(hashes, n);
        Arrays.sort(sorted);
        for (Device device : devices) {
            long[] own = hashes(device);
            for (int i = 0; i < own.length; i++) {
                device.credentials().get(i).owners(occursTwice(sorted, own[i]) ? KeyOwners.SEVERAL_DEVICES : KeyOwners.ONE_DEVICE);
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

    private static long[] hashes(Device device) {
        long[] hashes = new long[device.credentials().size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = hash(device.credentials().get(i).material());
        }
        return hashes;
    }

    /** Whether {@code value} is among the first {@code before} elements: a device's own repeated key is not shared. */
    private static boolean contains(long[] values, int before, long value) {
        for (int i = 0; i < before; i++) {
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
