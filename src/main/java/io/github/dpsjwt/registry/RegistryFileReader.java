package io.github.dpsjwt.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a registry file in the shape of a Google Cloud IoT Core export: the JSON array that
 * {@code gcloud iot devices list --format=json} prints, one device object as {@code describe} prints,
 * or the REST API's {@code {"devices": [...]}}. Unknown fields are ignored.
 *
 * <p>{@link #read(Path)} streams the file device by device, so 100,000 devices need no more memory than
 * their records ({@link RegistryHolder} reads a large file whole instead, to index it first).
 * A broken entry is skipped and reported with its id and the reason; only a file that cannot be read or
 * is not JSON at all fails the whole load. Key text is checked for shape here and parsed later, once
 * (see {@link Credential}).
 */
public final class RegistryFileReader {

    /** Google Cloud IoT Core's way of writing "no expiry". */
    static final Instant NO_EXPIRY = Instant.EPOCH;
    private static final String NO_EXPIRY_TEXT = "1970-01-01T00:00:00Z";

    /** A bare factory: an ObjectMapper takes ~0.2 s to set up on a cold JVM, and only rare shapes need one. */
    private static final JsonFactory JSON = new JsonFactory();

    /** For the single-device and {@code {"devices": [...]}} shapes, which read fields as trees. */
    private static final class Trees {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** A registry entry that was not loaded, and why. */
    public record Problem(String id, String reason) {
    }

    /**
     * What a file yielded.
     *
     * @param devices the loaded devices keyed by normalized registration id
     * @param problems each entry (or part of one) that was skipped
     * @param keysKept how many credentials took the parsed key of the registry being replaced
     */
    public record Result(Map<String, Device> devices, List<Problem> problems, int keysKept) {
    }

    private RegistryFileReader() {
    }

    /**
     * @throws IOException when the file cannot be read or is not JSON in one of the accepted shapes
     */
    public static Result read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file), null);
        }
    }

    /**
     * Reads a new version of a registry from a stream, taking the parsed keys of {@code earlier}'s devices where
     * their key text did not change.
     *
     * @param size the text's size in bytes, or -1 when unknown (only sizes the device map)
     * @param earlier the registry being replaced, or {@code null}
     * @throws IOException when the stream fails or is not JSON in one of the accepted shapes
     */
    public static Result read(InputStream in, long size, ExportFileRegistry earlier) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            return read(parser, size < 0 ? 1 << 20 : size, earlier);
        }
    }

    /**
     * Reads a registry file already in memory.
     *
     * @throws IOException when the bytes are not JSON in one of the accepted shapes
     */
    public static Result read(byte[] bytes) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes)) {
            return read(parser, bytes.length, null);
        }
    }

    /**
     * The whole file, read in 1 MiB steps: {@code Files.readAllBytes} goes through one temporary native
     * buffer as large as the file, which took twice as long for a 35 MB registry at start-up.
     *
     * @throws IOException when the file cannot be read, is over 2 GB, or shrinks while being read
     */
    static byte[] readBytes(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("larger than 2 GB");
            }
            byte[] bytes = new byte[(int) size];
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.position() < bytes.length) {
                buffer.limit(Math.min(bytes.length, buffer.position() + (1 << 20)));
                if (channel.read(buffer) < 0) {
                    throw new IOException("the file shrank while it was read");
                }
            }
            return bytes;
        }
    }

    /**
     * Reads one entry of a registry file, as {@link #read} would read it, for {@link RegistryIndex}.
     *
     * @return the device, or empty when the entry would be skipped
     * @throws IOException when the entry is not JSON
     */
    static Optional<Device> readEntry(byte[] bytes, int offset, int length) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            Loader loader = new Loader(1, null);
            parser.nextToken();
            loader.readEntry(parser);
            if (parser.nextToken() != null) {
                throw new IOException("unexpected content after the entry");
            }
            Optional<Device> device = loader.devices.values().stream().findFirst();
            // the index answers before the other entries are read: their keys are not compared yet
            device.ifPresent(found -> found.credentials().forEach(credential -> credential.owners(KeyOwners.NOT_KNOWN_YET)));
            return device;
        }
    }

    private static Result read(JsonParser parser, long size, ExportFileRegistry earlier) throws IOException {
        // a registry of N devices takes about 300 bytes each: size the map once
        Loader loader = new Loader((int) Math.min(Integer.MAX_VALUE / 2, size / 200), earlier);
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_ARRAY) {
            loader.readArray(parser);
        } else if (first == JsonToken.START_OBJECT) {
            parser.setCodec(Trees.MAPPER);
            ObjectNode single = Trees.MAPPER.createObjectNode();
            boolean sawDevices = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("devices".equals(field) && value == JsonToken.START_ARRAY) {
                    loader.readArray(parser);
                    sawDevices = true;
                } else {
                    single.set(field, parser.readValueAsTree());
                }
            }
            if (!sawDevices) {
                try (JsonParser device = Trees.MAPPER.treeAsTokens(single)) {
                    device.nextToken();
                    loader.readEntry(device);
                }
            }
        } else {
            throw new IOException("expected a JSON array of devices or a device object");
        }
        if (parser.nextToken() != null) {
            throw new IOException("unexpected content after the devices");
        }
        return loader.result();
    }

    /**
     * Reads devices token by token (no tree per device): at start-up this loop runs before the JIT has
     * warmed up, so the less it does per device the sooner the webhook is ready.
     */
    private static final class Loader {
        private final Map<String, Device> devices;
        private final Set<String> collided = new HashSet<>();
        private final List<Problem> problems = new ArrayList<>();
        private final ExportFileRegistry replaced;
        private int index;
        private int keysKept;

        Loader(int expectedDevices, ExportFileRegistry earlier) {
            devices = new HashMap<>(Math.max(16, expectedDevices * 4 / 3));
            this.replaced = earlier;
        }

        void readArray(JsonParser parser) throws IOException {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                readEntry(parser);
            }
        }

        /** Reads one entry, the parser on its first token, and leaves the parser on its last. */
        void readEntry(JsonParser parser) throws IOException {
            int position = index++;
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                problems.add(new Problem("#" + position, "entry is not a JSON object"));
                return;
            }
            String id = null;
            String broken = null;
            boolean blocked = false;
            boolean hasCredentials = false;
            List<Credential> credentials = new ArrayList<>(3);
            List<String> credentialProblems = new ArrayList<>(0);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "blocked" -> {
                        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                            blocked = value == JsonToken.VALUE_TRUE;
                        } else if (value != JsonToken.VALUE_NULL) {
                            broken = "'blocked' is not true or false";
                        }
                    }
                    case "credentials" -> {
                        if (value == JsonToken.START_ARRAY) {
                            int i = 0;
                            while (parser.nextToken() != JsonToken.END_ARRAY) {
                                hasCredentials = true;
                                try {
                                    credentials.add(credential(parser));
                                } catch (IllegalArgumentException e) {
                                    credentialProblems.add("credentials[" + i + "]: " + e.getMessage());
                                }
                                i++;
                            }
                        } else if (value != JsonToken.VALUE_NULL) {
                            broken = "'credentials' is not an array";
                        }
                    }
                    default -> {
                    }
                }
                parser.skipChildren();
            }
            add(position, id, broken, blocked, hasCredentials, credentials, credentialProblems);
        }

        private void add(int position, String id, String broken, boolean blocked, boolean hasCredentials,
                List<Credential> credentials, List<String> credentialProblems) {
            if (id == null) {
                problems.add(new Problem("#" + position, "entry has no 'id'"));
                return;
            }
            if (!RegistrationIds.isValid(id)) {
                problems.add(new Problem(id, "not a valid DPS registration id (up to "
                        + RegistrationIds.MAX_LENGTH + " of A-Z a-z 0-9 - . _ :)"));
                return;
            }
            String key = RegistrationIds.normalize(id);
            if (collided.contains(key)) {
                problems.add(new Problem(id, "registration id is not unique (DPS ids ignore case); device refused"));
                return;
            }
            Device earlier = devices.remove(key);
            if (earlier != null) {
                collided.add(key);
                problems.add(new Problem(earlier.id(), "registration id is not unique (DPS ids ignore case); device refused"));
                problems.add(new Problem(id, "registration id is not unique (DPS ids ignore case); device refused"));
                return;
            }
            if (broken != null) {
                problems.add(new Problem(id, broken));
                return;
            }
            for (String problem : credentialProblems) {
                problems.add(new Problem(id, problem));
            }
            if (!hasCredentials) {
                problems.add(new Problem(id, "device has no credentials"));
            }
            if (replaced != null) {
                keepParsedKeys(replaced.device(key), credentials);
            }
            devices.put(key, new Device(id, blocked, credentials));
        }

        /** Takes the parsed key of each credential whose text the device already had: the key text is dropped now. */
        private void keepParsedKeys(Device before, List<Credential> credentials) {
            if (before == null) {
                return;
            }
            for (Credential credential : credentials) {
                for (Credential old : before.credentials()) {
                    if (credential.adoptParsed(old)) {
                        keysKept++;
                        break;
                    }
                }
            }
        }

        /** One {@code credentials[]} element, the parser on its first token and left on its last. */
        private static Credential credential(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                throw new IllegalArgumentException("not a JSON object");
            }
            String formatName = null;
            String key = null;
            String expiration = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("publicKey".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String keyField = parser.currentName();
                        JsonToken keyValue = parser.nextToken();
                        if (keyValue == JsonToken.VALUE_STRING && "format".equals(keyField)) {
                            formatName = parser.getText();
                        } else if (keyValue == JsonToken.VALUE_STRING && "key".equals(keyField)) {
                            key = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else if ("expirationTime".equals(field) && value == JsonToken.VALUE_STRING) {
                    expiration = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (formatName == null) {
                throw new IllegalArgumentException("no publicKey.format");
            }
            KeyFormat format;
            try {
                format = KeyFormat.valueOf(formatName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unsupported key format '" + formatName
                        + "' (supported: ES256_PEM, ES256_X509_PEM, RSA_PEM, RSA_X509_PEM)");
            }
            if (key == null || !key.contains("-----BEGIN ")) {
                throw new IllegalArgumentException("publicKey.key is not PEM text");
            }
            return new Credential(key, format, expiry(expiration));
        }

        private static Instant expiry(String text) {
            // most credentials carry Google's "never", which need not go through the date parser
            if (text == null || text.isEmpty() || NO_EXPIRY_TEXT.equals(text)) {
                return null;
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expirationTime is not an RFC 3339 timestamp");
            }
            return at.equals(NO_EXPIRY) ? null : at;
        }

        Result result() {
            KeySharing.mark(devices.values());
            return new Result(devices, problems, keysKept);
        }
    }
}
