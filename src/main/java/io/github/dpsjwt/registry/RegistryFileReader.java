package io.github.dpsjwt.registry;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a registry file in the shape of a Google Cloud IoT Core export: the JSON array that
 * {@code gcloud iot devices list --format=json} prints, one device object as {@code describe} prints,
 * or the REST API's {@code {"devices": [...]}}. Unknown fields are ignored.
 *
 * <p>The file is streamed device by device, so 100,000 devices need no more memory than their records.
 * A broken entry is skipped and reported with its id and the reason; only a file that cannot be read or
 * is not JSON at all fails the whole load. Key text is checked for shape here and parsed later, once
 * (see {@link Credential}).
 */
public final class RegistryFileReader {

    /** Google Cloud IoT Core's way of writing "no expiry". */
    static final Instant NO_EXPIRY = Instant.EPOCH;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A registry entry that was not loaded, and why. */
    public record Problem(String id, String reason) {
    }

    /**
     * What a file yielded.
     *
     * @param devices the loaded devices keyed by normalized registration id
     * @param problems each entry (or part of one) that was skipped
     */
    public record Result(Map<String, Device> devices, List<Problem> problems) {
    }

    private RegistryFileReader() {
    }

    /**
     * @throws IOException when the file cannot be read or is not JSON in one of the accepted shapes
     */
    public static Result read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); JsonParser parser = MAPPER.createParser(in)) {
            Loader loader = new Loader();
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                loader.readArray(parser);
            } else if (first == JsonToken.START_OBJECT) {
                ObjectNode single = MAPPER.createObjectNode();
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
                    loader.add(single, 0);
                }
            } else {
                throw new IOException("expected a JSON array of devices or a device object");
            }
            if (parser.nextToken() != null) {
                throw new IOException("unexpected content after the devices");
            }
            return loader.result();
        }
    }

    private static final class Loader {
        private final Map<String, Device> devices = new HashMap<>();
        private final Set<String> collided = new HashSet<>();
        private final List<Problem> problems = new ArrayList<>();
        private int index;

        void readArray(JsonParser parser) throws IOException {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonNode node = parser.readValueAsTree();
                add(node, index++);
            }
        }

        void add(JsonNode node, int position) {
            if (!(node instanceof ObjectNode)) {
                problems.add(new Problem("#" + position, "entry is not a JSON object"));
                return;
            }
            String id = deviceId(node);
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
            JsonNode blocked = node.get("blocked");
            if (blocked != null && !blocked.isNull() && !blocked.isBoolean()) {
                problems.add(new Problem(id, "'blocked' is not true or false"));
                return;
            }
            devices.put(key, new Device(id, blocked != null && blocked.asBoolean(false), credentials(id, node.get("credentials"))));
        }

        private List<Credential> credentials(String id, JsonNode list) {
            List<Credential> credentials = new ArrayList<>();
            if (list == null || list.isNull()) {
                problems.add(new Problem(id, "device has no credentials"));
                return credentials;
            }
            if (!list.isArray()) {
                problems.add(new Problem(id, "'credentials' is not an array"));
                return credentials;
            }
            for (int i = 0; i < list.size(); i++) {
                try {
                    credentials.add(credential(list.get(i)));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(id, "credentials[" + i + "]: " + e.getMessage()));
                }
            }
            if (list.isEmpty()) {
                problems.add(new Problem(id, "device has no credentials"));
            }
            return credentials;
        }

        private static Credential credential(JsonNode node) {
            JsonNode publicKey = node.path("publicKey");
            String formatName = publicKey.path("format").asText(null);
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
            String key = publicKey.path("key").asText(null);
            if (key == null || !key.contains("-----BEGIN ")) {
                throw new IllegalArgumentException("publicKey.key is not PEM text");
            }
            return new Credential(key, format, expiry(node.get("expirationTime")));
        }

        private static Instant expiry(JsonNode node) {
            if (node == null || node.isNull() || node.asText().isEmpty()) {
                return null;
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(node.asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expirationTime is not an RFC 3339 timestamp");
            }
            return at.equals(NO_EXPIRY) ? null : at;
        }

        private static String deviceId(JsonNode node) {
            JsonNode id = node.get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        }

        Result result() {
            return new Result(devices, problems);
        }
    }
}
