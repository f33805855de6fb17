package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class InitialTwinTest {

    @Test
    void shouldAcceptTagsAndDesiredProperties() {
        assertEquals("gcp", InitialTwin.parse("{\"tags\":{\"from\":\"gcp\"},\"properties\":{\"desired\":{\"i\":1}}}")
                .path("tags").path("from").asText());
        assertEquals(0, InitialTwin.parse("{}").size());
    }

    @Test
    void shouldRefuseWhatDpsWouldNotAccept() {
        for (String bad : List.of("not json", "[]", "{\"tags\":[]}", "{\"properties\":{\"reported\":{}}}",
                "{\"properties\":{\"desired\":1}}", "{\"deviceId\":\"x\"}", "{\"properties\":\"x\"}")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> InitialTwin.parse(bad), bad);
            assertTrue(error.getMessage().startsWith("allocator.allocation.initial-twin"), error.getMessage());
        }
    }
}
