package io.github.dpsjwt.registry;

import static io.github.dpsjwt.registry.RegistryFileReaderTest.PEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;

class RegistryIndexTest {

    static final Path FILE = Path.of("registry.json");
    static final String CREDENTIAL = "{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + PEM
            + "},\"expirationTime\":\"1970-01-01T00:00:00Z\"}";

    static String entry(String idField, String extra) {
        return "{" + idField + ",\"credentials\":[" + CREDENTIAL + "]" + extra + "}";
    }

    static String entry(String id) {
        return entry("\"id\":\"" + id + "\"", "");
    }

    static Optional<RegistryIndex> index(String content) {
        return RegistryIndex.build(FILE, content.getBytes(StandardCharsets.UTF_8));
    }

    /** What a lookup yields, in comparable form: null for no device. */
    static String describe(Device device) {
        if (device == null) {
            return null;
        }
        return device.id() + " blocked=" + device.blocked() + " " + device.credentials().stream()
                .map(c -> c.format() + "/" + c.expiresAt() + "/" + c.material()).collect(Collectors.joining(", "));
    }

    /** Every id asked answers from the index exactly as from the full read of the same bytes. */
    static void assertSameAnswers(String content, List<String> ids) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        RegistryIndex index = RegistryIndex.build(FILE, bytes).orElseThrow(() -> new AssertionError("not indexed: " + content));
        Map<String, Device> full = RegistryFileReader.read(bytes).devices();
        for (String id : ids) {
            assertEquals(describe(full.get(RegistrationIds.normalize(id))), describe(index.find(id).orElse(null)), id);
        }
        assertTrue(index.find("not-in-the-file").isEmpty());
    }

    @Test
    void shouldAnswerEveryDeviceAsTheFullReadDoes() throws Exception {
        String content = " [\n "
                + entry("plain") + ",\n\t"
                + entry("\"numId\":\"7\",\"config\":{\"id\":\"other\",\"x\":[{\"id\":\"y\"}]},\"id\":\"Nested-After\"", "") + ","
                + entry("\"id\" : \"spaced\"", ",\"metadata\":{\"note\":\"a \\\"quoted\\\" {[}] id\",\"odd\":\"\\\"{\\\\\",\"id\":\"z\"}") + ","
                + entry("\"id\":\"blocked\"", ",\"blocked\":true") + ","
                + entry("\"id\":\"broken-flag\"", ",\"blocked\":\"yes\"") + ","
                + "{\"id\":\"no-credentials\"}," + "{\"id\":\"null-credentials\",\"credentials\":null},"
                + "{\"id\":\"odd-credential\",\"credentials\":[{\"publicKey\":{\"format\":\"ES512_PEM\",\"key\":" + PEM + "}},"
                + CREDENTIAL + "]},"
                + "{\"id\":\"expiring\",\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":" + PEM
                + "},\"expirationTime\":\"2030-05-01T10:00:00Z\"}]}"
                + "\n]\n";
        assertSameAnswers(content, List.of("plain", "PLAIN", "nested-after", "other", "y", "spaced", "z", "blocked",
                "broken-flag", "no-credentials", "null-credentials", "odd-credential", "expiring"));
        assertTrue(index(content).orElseThrow().find("nested-after").orElseThrow().credentials().size() == 1);
        assertTrue(index(content).orElseThrow().find("broken-flag").isEmpty());
        assertEquals(0, index("[ ]").orElseThrow().size());
    }

    @Test
    void shouldLeaveToTheFullReadWhatItCannotIndexExactly() {
        List<String> cases = List.of(
                entry("a"),
                "{\"devices\":[" + entry("a") + "],\"devices\":[" + entry("b") + "]}",
                "{\"dev\\u0069ces\":[" + entry("a") + "]}",
                "{\"devices\":null}",
                "{\"devices\":{\"id\":\"a\"}}",
                "{\"nextPageToken\":\"x\"}",
                "{}",
                "{\"devices\":[" + entry("a") + "]",
                "{\"devices\":[" + entry("a") + "]} trailing",
                "{\"devices\":[" + entry("a") + "] \"x\":1}",
                "{\"devices\":[" + entry("a") + "],\"x\":}",
                "{\"devices\":[" + entry("a") + "],\"x\":{\"never\":\"closed}",
                "{\"devices\":[" + entry("a") + "," + entry("A") + "]}",
                "[" + entry("a") + ",1]",
                "[{\"numId\":\"1\",\"credentials\":[]}]",
                "[" + entry("a") + "," + entry("A") + "]",
                "[" + entry("\"id\":\"d\\u0065v\"", "") + "]",
                "[" + entry("\"id\":\"a\",\"id\":\"b\"", "") + "]",
                "[" + entry("\"id\":\"not valid\"", "") + "]",
                "[" + entry("\"id\":12", "") + "]",
                "[" + entry("\"id\":null", "") + "]",
                "[" + entry("a") + "] trailing",
                "[" + entry("a") + "," + entry("b") + " " + entry("c") + "]",
                "[" + entry("a") + ",",
                "[{\"id\":\"a\",\"note\":\"never closed",
                "[{\"id\":\"a\",\"credentials\":[]",
                "[{\"id\":\"a\",\"blocked\":tru}]",
                "",
                "   ");
        for (String content : cases) {
            assertTrue(index(content).isEmpty(), content);
        }
    }

    @Test
    void shouldIndexTheRestApisDevicesObjectAsTheFullReadReadsIt() throws Exception {
        String content = "{\n  \"nextPageToken\": \"abc\\\"}\",\n"
                + "  \"meta\": {\"devices\": [1, {\"id\": \"ghost\"}], \"n\": -1.5e3},"
                + " \"flag\": true, \"none\": null, \"count\": 2,\n  \"devices\" : [" + entry("one") + ",\n" + entry("Two")
                + "],\n  \"after\": [\"]\", {}]\n}\n";
        assertSameAnswers(content, List.of("one", "two", "TWO", "ghost"));
        assertEquals(2, index(content).orElseThrow().size());
        assertEquals(0, index("{\"devices\": []}").orElseThrow().size());
    }

    @Test
    void shouldRefuseAsNotReadyWhenAnEntryIsNotJson() {
        String content = "[" + entry("fine") + ",{\"id\":\"bad\",\"blocked\":tru}]";
        RegistryIndex index = index(content).orElseThrow();
        assertTrue(index.find("fine").isPresent());
        RefusalException refused = assertThrows(RefusalException.class, () -> index.find("bad"));
        assertEquals(Reason.REGISTRY_NOT_READY, refused.reason());
        assertThrows(IOException.class, () -> RegistryFileReader.read(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldAgreeWithTheFullReadOnRandomRegistries() throws Exception {
        Random random = new Random(20261129);
        int indexed = 0;
        for (int round = 0; round < 300; round++) {
            List<String> ids = new ArrayList<>();
            StringBuilder content = new StringBuilder("[");
            int devices = 1 + random.nextInt(12);
            for (int i = 0; i < devices; i++) {
                String id = random.nextInt(40) == 0 ? (ids.isEmpty() ? "dup" : ids.get(0).toUpperCase()) : "dev-" + round + "-" + i;
                ids.add(id);
                String idField = "\"id\":\"" + id + "\"";
                String extra = switch (random.nextInt(8)) {
                    case 0 -> ",\"blocked\":true";
                    case 1 -> ",\"blocked\":\"no\"";
                    case 2 -> ",\"config\":{\"id\":\"x\",\"data\":[1,{\"id\":\"y\"}]}";
                    case 3 -> ",\"metadata\":{\"k\":\"}]\\\\\",\"e\":\"\\\"{\",\"id\":\"q\"}";
                    default -> "";
                };
                String device = random.nextBoolean() ? entry(idField, extra) : entry("\"numId\":\"1\"" + extra + "," + idField, "");
                if (random.nextInt(30) == 0) {
                    device = "{\"id\":\"" + id + "\",\"credentials\":[{\"publicKey\":{\"format\":\"RSA_PEM\",\"key\":\"nope\"}}]}";
                }
                content.append(i == 0 ? "" : random.nextBoolean() ? "," : ",\n  ").append(device);
            }
            content.append("]");
            // every other file in the REST API's shape, with fields around the array
            String text = round % 2 == 0 ? content.toString()
                    : "{\"nextPageToken\":\"t\",\"devices\":" + content + ",\"x\":[{\"id\":\"q\"}]}";
            if (index(text).isPresent()) {
                indexed++;
                ids.add("q");
                ids.add("y");
                assertSameAnswers(text, ids);
            }
        }
        // the generator's duplicates send a few files to the full read; most must be indexed for the test to mean anything
        assertTrue(indexed > 200, "indexed " + indexed);
    }
}
