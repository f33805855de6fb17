package io.github.dpsjwt.device;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The webhook's registry as the {@code registry} commands edit it: the export's JSON kept as it is (fields the
 * webhook does not read are kept too), in any of the shapes the webhook reads (an array of devices, the REST
 * API's {@code {"devices": [...]}}, or one device, which becomes an array once a second device is added).
 */
final class RegistryDocument {

    static final int MAX_CREDENTIALS = 3;
    private static final String NO_EXPIRY = "1970-01-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonNode root;

    private RegistryDocument(JsonNode root) {
        this.root = root;
    }

    static RegistryDocument empty() {
        return new RegistryDocument(JsonNodeFactory.instance.arrayNode());
    }

    /** @throws UserError when the text is not JSON in a shape the webhook reads */
    static RegistryDocument parse(byte[] text, String where) throws UserError {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (StreamReadException e) {
            String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new UserError(where + " is not valid JSON" + at + ": fix it, or replace it with 'registry push'");
        } catch (IOException e) {
            throw new UserError(where + " cannot be read as JSON: " + e.getMessage());
        }
        if (root == null || !(root.isArray() || root.isObject())) {
            throw new UserError(where + " is not a registry: expected a JSON array of devices");
        }
        return new RegistryDocument(root);
    }

    byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The devices, in the document's order. */
    List<ObjectNode> devices() {
        List<ObjectNode> devices = new ArrayList<>();
        JsonNode list = list();
        if (list == null) {
            if (root.isObject() && root.has("id")) {
                devices.add((ObjectNode) root);
            }
            return devices;
        }
        for (JsonNode device : list) {
            if (device instanceof ObjectNode object) {
                devices.add(object);
            }
        }
        return devices;
    }

    private ArrayNode list() {
        if (root instanceof ArrayNode array) {
            return array;
        }
        JsonNode devices = root.get("devices");
        return devices instanceof ArrayNode array ? array : null;
    }

    /** The device with this id (DPS ids ignore case), or {@code null}. */
    ObjectNode find(String id) {
        for (ObjectNode device : devices()) {
            if (device.path("id").asText("").equalsIgnoreCase(id)) {
                return device;
            }
        }
        return null;
    }

    /** The device with this id. */
    ObjectNode require(String id, String where) throws UserError {
        ObjectNode device = find(id);
        if (device == null) {
            throw new UserError("no device " + id + " in " + where + " ('registry list' shows the devices)");
        }
        return device;
    }

    void add(ObjectNode device) {
        ArrayNode list = list();
        if (list == null) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            if (root.isObject() && root.has("id")) {
                array.add(root);
            }
            root = array;
            list = array;
        }
        list.add(device);
    }

    boolean remove(String id) {
        ArrayNode list = list();
        if (list == null) {
            if (root.isObject() && root.path("id").asText("").equalsIgnoreCase(id)) {
                root = JsonNodeFactory.instance.arrayNode();
                return true;
            }
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path("id").asText("").equalsIgnoreCase(id)) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    /** A new device entry in the export's shape. */
    static ObjectNode device(String id, boolean blocked) {
        ObjectNode device = JsonNodeFactory.instance.objectNode();
        device.put("id", id);
        device.put("blocked", blocked);
        device.putArray("credentials");
        return device;
    }

    /** A credential entry in the export's shape. */
    static ObjectNode credential(PublicKeyInput.Key key, Instant expires) {
        ObjectNode credential = JsonNodeFactory.instance.objectNode();
        ObjectNode publicKey = credential.putObject("publicKey");
        publicKey.put("format", key.format());
        publicKey.put("key", key.pem());
        credential.put("expirationTime", expires == null ? NO_EXPIRY : expires.toString());
        return credential;
    }

    static ArrayNode credentials(ObjectNode device) {
        JsonNode credentials = device.get("credentials");
        if (credentials instanceof ArrayNode array) {
            return array;
        }
        return device.putArray("credentials");
    }

    /**
     * Everything in the registry that the webhook would skip or refuse: ids, duplicates (ignoring case), blocked
     * flags, credential counts, key formats and keys.
     *
     * @return one line per problem, empty when every device is usable
     */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        JsonNode list = list();
        if (list == null && !(root.isObject() && root.has("id"))) {
            problems.add("not a registry: expected a JSON array of devices, or {\"devices\": [...]}");
            return problems;
        }
        int position = 0;
        for (JsonNode node : list == null ? List.of(root) : list) {
            position++;
            if (!(node instanceof ObjectNode device)) {
                problems.add("entry #" + position + ": not a JSON object");
                continue;
            }
            String id = device.path("id").asText(null);
            if (id == null || !device.get("id").isTextual()) {
                problems.add("entry #" + position + ": no 'id'");
                continue;
            }
            String problem = idProblem(id);
            if (problem != null) {
                problems.add(id + ": " + problem);
                continue;
            }
            String earlier = seen.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
            if (earlier != null) {
                problems.add(id + ": the same registration id as " + earlier + " (DPS ids ignore case)");
            }
            JsonNode blocked = device.get("blocked");
            if (blocked != null && !blocked.isBoolean() && !blocked.isNull()) {
                problems.add(id + ": 'blocked' is not true or false");
            }
            JsonNode credentials = device.get("credentials");
            if (credentials == null || !credentials.isArray() || credentials.isEmpty()) {
                problems.add(id + ": no credentials (the webhook refuses the device)");
                continue;
            }
            if (credentials.size() > MAX_CREDENTIALS) {
                problems.add(id + ": " + credentials.size() + " credentials; at most " + MAX_CREDENTIALS);
            }
            for (int i = 0; i < credentials.size(); i++) {
                JsonNode credential = credentials.get(i);
                JsonNode publicKey = credential.path("publicKey");
                String keyProblem = KeyCheck.problem(publicKey.path("format").asText(null), publicKey.path("key").asText(null));
                if (keyProblem != null) {
                    problems.add(id + ": credentials[" + i + "]: " + keyProblem);
                }
                String expiry = credential.path("expirationTime").asText(null);
                if (expiry != null && !expiry.isEmpty() && expiryProblem(expiry) != null) {
                    problems.add(id + ": credentials[" + i + "]: " + expiryProblem(expiry));
                }
            }
        }
        return problems;
    }

    /** @return {@code null} for a valid DPS registration id, else why not */
    static String idProblem(String id) {
        return ImportGcpCommand.DPS_ID.matcher(id).matches() ? null
                : "not a valid DPS registration id (1 to 128 of A-Z a-z 0-9 - . _ :)";
    }

    private static String expiryProblem(String text) {
        try {
            OffsetDateTime.parse(text);
            return null;
        } catch (DateTimeParseException e) {
            return "expirationTime '" + text + "' is not an RFC 3339 timestamp";
        }
    }
}
