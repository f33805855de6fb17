package io.github.dpsjwt.registry;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Marks each credential of a registry with {@link KeyOwners}: {@code SEVERAL_DEVICES} where another device holds
 * the same key text (ignoring white space), {@code ONE_DEVICE} elsewhere. Keys are compared by a 64-bit hash of
 * their text, each hashed once: a million one-key devices take about 36 MB for the comparison (arrays of hashes and
 * of the credentials, filled in one pass over the devices), not a set of strings. A hash collision can only make a
 * key look shared, which asks more of its tokens, never less.
 */
final class KeySharing {

    private KeySharing() {
    }

    static void mark(Collection<Device> devices) {
        // one pass over the devices (a million of them are a million pointer chases): every credential and its hash
        // in arrays, and each hash once per device for the comparison, since a device's own repeated key is not shared
        int capacity = Math.max(16, devices.size() + devices.size() / 2);
        Credential[] credentials = new Credential[capacity];
        long[] hashes = new long[capacity];
        long[] distinct = new long[capacity];
        int n = 0;
        int d = 0;
        for (Device device : devices) {
            int first = n;
            for (Credential credential : device.credentials()) {
                if (n == credentials.length) {
                    int grown = n + n / 2;
                    credentials = Arrays.copyOf(credentials, grown);
                    hashes = Arrays.copyOf(hashes, grown);
                    distinct = Arrays.copyOf(distinct, grown);
                }
                long hash = credential.textHash();
                credentials[n] = credential;
                hashes[n++] = hash;
                if (!contains(hashes, first, n - 1, hash)) {
                    distinct[d++] = hash;
                }
            }
        }
        Arrays.sort(distinct, 0, d);
        Set<Long> shared = new HashSet<>();
        for (int i = 1; i < d; i++) {
            if (distinct[i] == distinct[i - 1]) {
                shared.add(distinct[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            boolean several = !shared.isEmpty() && shared.contains(hashes[i]);
            credentials[i].owners(several ? KeyOwners.SEVERAL_DEVICES : KeyOwners.ONE_DEVICE);
        }
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

    /** FNV-1a, 64 bits, over the characters that are not white space; never 0 (which marks "no text"). */
    static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                hash = (hash ^ c) * 0x100000001b3L;
            }
        }
        return hash == 0 ? 1 : hash;
    }
}
