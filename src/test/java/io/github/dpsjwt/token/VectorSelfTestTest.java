package io.github.dpsjwt.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorSelfTestTest {

    static final Path VECTORS = Path.of("src/test/resources/wycheproof");

    @TempDir
    Path dir;

    @Test
    void shouldAgreeWithEveryVectorOfTheFolder() throws IOException {
        VectorSelfTest.Result result = VectorSelfTest.run(VECTORS);
        assertEquals(List.of(), result.disagreements());
        assertTrue(result.vectors() > 262 + 700, "the P1363 file and the three RSA files: " + result.vectors());
    }

    @Test
    void shouldReportAVectorThatDisagrees() throws IOException {
        // vector 1 is a valid signature: flip a bit of it and call it still valid
        String text = Files.readString(VECTORS.resolve("ecdsa_secp256r1_sha256_p1363_test.json"));
        String tampered = text.replaceFirst("\"sig\": \"2ba3a8be", "\"sig\": \"2ba3a8bf");
        assertTrue(!tampered.equals(text), "the test changed the first valid vector");
        Files.writeString(dir.resolve("ecdsa_secp256r1_sha256_p1363_test.json"), tampered);
        VectorSelfTest.Result result = VectorSelfTest.run(dir);
        assertEquals(1, result.disagreements().size(), result.disagreements().toString());
        assertTrue(result.disagreements().get(0).contains("#1 (valid)"), result.disagreements().toString());
    }

    @Test
    void shouldRefuseAFolderWithoutVectors() {
        assertThrows(IOException.class, () -> VectorSelfTest.run(dir));
    }
}
