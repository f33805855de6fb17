package io.github.dpsjwt.allocation;

import java.io.IOException;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a configured initial twin against what DPS accepts from a webhook: an object with at most
 * {@code tags} (an object) and {@code properties} holding only {@code desired} (an object).
 */
public final class InitialTwin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InitialTwin() {
    }

    /**
     * @param json the configured value
     * @return the twin, to be sent unchanged in every allocation
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ObjectNode parse(String json) {
        JsonNode twin;
        try {
            twin = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("allocator.allocation.initial-twin is not valid JSON");
        }
        if (!(twin instanceof ObjectNode object)) {
            throw new IllegalArgumentException("allocator.allocation.initial-twin must be a JSON object");
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            String field = it.next();
            JsonNode value = object.get(field);
            switch (field) {
                case "tags" -> requireObject(value, "tags");
                case "properties" -> {
                    requireObject(value, "properties");
                    for (Iterator<String> p = value.fieldNames(); p.hasNext();) {
                        String property = p.next();
                        if (!"desired".equals(property)) {
                            throw new IllegalArgumentException("allocator.allocation.initial-twin: properties may hold only"
                                    + " 'desired', not '" + property + "'");
                        }
                        requireObject(value.get(property), "properties.desired");
                    }
                }
                default -> throw new IllegalArgumentException("allocator.allocation.initial-twin may hold only 'tags' and"
                        + " 'properties.desired', not '" + field + "'");
            }
        }
        return object;
    }

    private static void requireObject(JsonNode node, String name) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("allocator.allocation.initial-twin: '" + name + "' must be a JSON object");
        }
    }
}
