package io.github.dpsjwt.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;

/**
 * A registry file's entries found by registration id without parsing them: what lets a large registry
 * answer before the full read has finished. Building it only scans the bytes for each entry's bounds and
 * its {@code "id"}; an entry is parsed (by the same code as the full read) when a device asks for it.
 *
 * <p>{@link #build} indexes only what it can index exactly as {@link RegistryFileReader} would read it: a
 * JSON array of objects, alone or as the one {@code "devices"} array of the REST API's object, each with
 * one plain {@code "id"} string that is a valid registration id unique (ignoring case) in the file.
 * Anything else (another top-level shape, a missing, escaped, repeated or invalid id, two entries for one
 * device, an escaped or repeated {@code "devices"} key) returns empty and the caller reads the file in
 * full instead, so the index never answers differently from the full read. The bytes are not fully
 * validated as JSON here; the full read that follows does that.
 */
final class RegistryIndex implements DeviceRegistry {

    private final Path file;
    private final byte[] bytes;
    /** Entry {@code i} spans bytes {@code [bounds[2i], bounds[2i + 1])}. */
    private final int[] bounds;
    /** Entry numbers by normalized registration id. */
    private final Map<String, Integer> entries;

    private RegistryIndex(Path file, byte[] bytes, int[] bounds, Map<String, Integer> entries) {
        this.file = file;
        this.bytes = bytes;
        this.bounds = bounds;
        this.entries = entries;
    }

    /**
     * @param file where the bytes came from, for descriptions
     * @param bytes the whole registry file
     * @return the index, or empty when the file needs the full read to be understood
     */
    static Optional<RegistryIndex> build(Path file, byte[] bytes) {
        int n = bytes.length;
        Scan scan = new Scan(bytes);
        int p = skipWhitespace(bytes, 0);
        if (p < n && bytes[p] == '[') {
            p = scan.array(p);
        } else if (p < n && bytes[p] == '{') {
            p = scan.devicesObject(p);
        } else {
            p = -1;
        }
        if (p < 0 || skipWhitespace(bytes, p) != n) {
            return Optional.empty();
        }
        if (scan.count > 0) {
            // parsing one entry now sets up the JSON reader here instead of on the first request
            try {
                RegistryFileReader.readEntry(bytes, scan.bounds[0], scan.bounds[1] - scan.bounds[0]);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new RegistryIndex(file, bytes, scan.bounds, scan.entries));
    }

    /**
     * One pass over the bytes, member by member. {@link #devicesObject}, {@link #array}, {@link #entry} and
     * {@link #skipValue} take the position of a value's first byte and return the position just past the
     * value, or -1 when the value is not something the index can answer for exactly as the full read would.
     */
    private static final class Scan {
        private static final byte[] DEVICES = "\"devices\"".getBytes(StandardCharsets.ISO_8859_1);

        private final byte[] bytes;
        private final int n;
        int[] bounds;
        final Map<String, Integer> entries;
        int count;
        /** Set by {@link #next}: whether the value was the last of its object or array. */
        private boolean closed;

        Scan(byte[] bytes) {
            this.bytes = bytes;
            this.n = bytes.length;
            this.bounds = new int[Math.max(16, n / 150)];
            this.entries = new HashMap<>(Math.max(16, n / 200));
        }

        /**
         * The REST API's shape: an object with exactly one {@code "devices"} key, holding the array; other
         * keys ({@code nextPageToken}, say) are skipped, as the full read ignores them. Without a
         * {@code "devices"} array the full read takes the object for one device: not indexed.
         */
        int devicesObject(int p) {
            boolean sawDevices = false;
            p = skipWhitespace(bytes, p + 1);
            while (true) {
                int keyEnd = keyEnd(p);
                if (keyEnd < 0 || indexOf(bytes, (byte) '\\', p, keyEnd) >= 0) {
                    // an escaped key might spell "devices" for the full read
                    return -1;
                }
                int v = valueStart(keyEnd);
                if (v < 0) {
                    return -1;
                }
                if (Arrays.equals(bytes, p, keyEnd, DEVICES, 0, DEVICES.length)) {
                    if (sawDevices || bytes[v] != '[') {
                        return -1;
                    }
                    sawDevices = true;
                    p = array(v);
                } else {
                    p = skipValue(v);
                }
                p = next(p, (byte) '}');
                if (p < 0 || closed) {
                    return sawDevices ? p : -1;
                }
            }
        }

        /** A JSON array of device objects, each with one plain, valid, unique {@code "id"}. */
        int array(int p) {
            p = skipWhitespace(bytes, p + 1);
            if (p < n && bytes[p] == ']') {
                return p + 1;
            }
            while (true) {
                p = entry(p);
                p = next(p, (byte) ']');
                if (p < 0 || closed) {
                    return p;
                }
            }
        }

        /** One device object, recorded under its {@code "id"}; its other values are skipped. */
        private int entry(int p) {
            if (p >= n || bytes[p] != '{') {
                return -1;
            }
            int start = p;
            String id = null;
            p = skipWhitespace(bytes, p + 1);
            while (true) {
                int keyEnd = keyEnd(p);
                int v = keyEnd < 0 ? -1 : valueStart(keyEnd);
                if (v < 0) {
                    return -1;
                }
                if (keyEnd - p == 4 && bytes[p + 1] == 'i' && bytes[p + 2] == 'd') {
                    int valueEnd = id == null && bytes[v] == '"' ? endOfString(bytes, v) : -1;
                    if (valueEnd < 0) {
                        return -1;
                    }
                    // valid ids are ASCII without escapes; anything else fails isValid below
                    id = new String(bytes, v + 1, valueEnd - v - 2, StandardCharsets.ISO_8859_1);
                    p = valueEnd;
                } else {
                    p = skipValue(v);
                }
                p = next(p, (byte) '}');
                if (p < 0) {
                    return -1;
                }
                if (closed) {
                    break;
                }
            }
            if (!RegistrationIds.isValid(id) || entries.putIfAbsent(RegistrationIds.normalize(id), count) != null) {
                return -1;
            }
            if (2 * count + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[2 * count] = start;
            bounds[2 * count + 1] = p;
            count++;
            return p;
        }

        /**
         * The step after a member or element that ends just before p: past a comma to the next one's first
         * byte, or past the closing byte with {@link #closed} set; -1 for anything else, or when p is -1.
         */
        private int next(int p, byte close) {
            closed = false;
            if (p < 0) {
                return -1;
            }
            p = skipWhitespace(bytes, p);
            closed = p < n && bytes[p] == close;
            if (closed) {
                return p + 1;
            }
            return p < n && bytes[p] == ',' ? skipWhitespace(bytes, p + 1) : -1;
        }

        /** The end of the member name that starts at p (just past its closing quote), or -1. */
        private int keyEnd(int p) {
            return p < n && bytes[p] == '"' ? endOfString(bytes, p) : -1;
        }

        /** The first byte of the value after a member name and its colon, or -1. */
        private int valueStart(int keyEnd) {
            int v = skipWhitespace(bytes, keyEnd);
            if (v >= n || bytes[v] != ':') {
                return -1;
            }
            v = skipWhitespace(bytes, v + 1);
            return v < n ? v : -1;
        }

        /** Any value, not validated (the full read does that): a string, an object or array, or a scalar. */
        private int skipValue(int p) {
            if (p >= n) {
                return -1;
            }
            byte first = bytes[p];
            if (first == '"') {
                return endOfString(bytes, p);
            }
            if (first == '{' || first == '[') {
                int depth = 0;
                do {
                    byte c = bytes[p];
                    if (c == '"') {
                        p = endOfString(bytes, p);
                        if (p < 0) {
                            return -1;
                        }
                        continue;
                    }
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if (c == '}' || c == ']') {
                        depth--;
                    }
                    p++;
                } while (depth > 0 && p < n);
                return depth == 0 ? p : -1;
            }
            int end = p;
            while (end < n && bytes[end] != ',' && bytes[end] != '}' && bytes[end] != ']' && !isWhitespace(bytes[end])) {
                end++;
            }
            return end > p ? end : -1;
        }

        private static int indexOf(byte[] bytes, byte b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The index just past the string's closing quote, or -1 when it does not close. */
    private static int endOfString(byte[] bytes, int open) {
        for (int p = open + 1; p < bytes.length; p++) {
            byte c = bytes[p];
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\') {
                p++;
            }
        }
        return -1;
    }

    private static int skipWhitespace(byte[] bytes, int p) {
        while (p < bytes.length && isWhitespace(bytes[p])) {
            p++;
        }
        return p;
    }

    /** JSON's four whitespace bytes. */
    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /**
     * Parses the device's entry on each call; the full read replaces this index within seconds.
     *
     * @throws RefusalException {@link Reason#REGISTRY_NOT_READY} when the entry is not JSON (the full read
     *         will then refuse the whole file, as it would have without the index)
     */
    @Override
    public Optional<Device> find(String registrationId) {
        Integer entry = entries.get(RegistrationIds.normalize(registrationId));
        if (entry == null) {
            return Optional.empty();
        }
        int start = bounds[2 * entry];
        try {
            return RegistryFileReader.readEntry(bytes, start, bounds[2 * entry + 1] - start);
        } catch (IOException e) {
            throw new RefusalException(Reason.REGISTRY_NOT_READY, "the registry file's entry for this device is not JSON");
        }
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public String description() {
        return entries.size() + " devices indexed from " + file + " (full read under way)";
    }
}
