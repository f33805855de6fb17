package io.github.dpsjwt.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.support.ConstantEngine;
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
    void shouldRunTheEcdsaVectorsThroughEveryEngineGiven() throws IOException {
        List<Es256Engine> both = List.of(Es256Engines.builtin(), Es256Engines.accp().engine());
        VectorSelfTest.Result result = VectorSelfTest.run(VECTORS, both);
        assertEquals(List.of(), result.disagreements());
        List<Es256Engine> withBroken = List.of(Es256Engines.builtin(), new ConstantEngine("accepts-all", true));
        VectorSelfTest.Result broken = VectorSelfTest.run(VECTORS, withBroken);
        // the invalid P1363 vectors that reach the engine (64 bytes long: 68 of them) are caught
        assertEquals(68, broken.disagreements().size(), broken.disagreements().size() + " disagreements");
        assertTrue(broken.disagreements().stream().allMatch(line -> line.startsWith("ecdsa_secp256r1_sha256_p1363_test.json")),
                broken.disagreements().toString());
    }

    @Test
    void shouldCheckAccpUnlessTheBuiltinEngineIsChosen() {
        assertEquals(List.of("builtin", "accp"), SelfTestReadiness.engines(TokenConfig.Engine.AUTO).stream().map(Es256Engine::name).toList());
        assertEquals(List.of("builtin", "accp"), SelfTestReadiness.engines(TokenConfig.Engine.ACCP).stream().map(Es256Engine::name).toList());
        assertEquals(List.of("builtin"), SelfTestReadiness.engines(TokenConfig.Engine.BUILTIN).stream().map(Es256Engine::name).toList());
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
