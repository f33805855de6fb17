package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class KeygenAndTokenTest {

    @TempDir
    Path dir;

    static PublicKey publicKey(Path pem, String algorithm) throws Exception {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    static JsonNode part(String token, int index) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
    }

    static boolean verifies(String token, PublicKey key, String algorithm) throws Exception {
        String[] parts = token.split("\\.");
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    @Test
    void shouldWriteKeysAsOpensslDoesAndMintAVerifiableEs256Token() throws Exception {
        Cli keygen = Cli.run("keygen", "--out-dir", dir.toString(), "--name", "dev");
        assertEquals(0, keygen.exitCode, keygen.err);
        assertTrue(Files.readString(dir.resolve("dev_private.pem")).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("dev_private_pkcs8.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("dev_private.pem"))));
        PublicKey publicKey = publicKey(dir.resolve("dev_public.pem"), "EC");

        for (String keyFile : new String[] { "dev_private.pem", "dev_private_pkcs8.pem" }) {
            Cli token = Cli.run("token", "--key", dir.resolve(keyFile).toString(), "--registration-id", "dev-1",
                    "--lifetime", "30m", "--aud", "my-project");
            assertEquals(0, token.exitCode, token.err);
            String jwt = token.out.trim();
            assertEquals("ES256", part(jwt, 0).path("alg").asText());
            JsonNode claims = part(jwt, 1);
            assertEquals(1800, claims.path("exp").asLong() - claims.path("iat").asLong());
            assertEquals("dev-1", claims.path("registration_id").asText());
            assertEquals("my-project", claims.path("aud").asText());
            assertEquals(64, Base64.getUrlDecoder().decode(jwt.split("\\.")[2]).length, "raw R||S, not DER");
            assertTrue(verifies(jwt, publicKey, "SHA256withECDSAinP1363Format"));
        }
    }

    @Test
    void shouldReadKeysThatOpensslMade() throws Exception {
        // openssl ecparam -genkey -name prime256v1 (without -noout) writes EC PARAMETERS before the key
        var pair = PemKeys.generateEc();
        String opensslStyle = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + PemKeys.sec1Pem(pair);
        Path key = dir.resolve("openssl.pem");
        Files.writeString(key, opensslStyle);
        Cli token = Cli.run("token", "-k", key.toString(), "-r", "dev-2");
        assertEquals(0, token.exitCode, token.err);
        assertTrue(verifies(token.out.trim(), pair.getPublic(), "SHA256withECDSAinP1363Format"));
    }

    @Test
    void shouldMintRs256WithAnRsaKey() throws Exception {
        assertEquals(0, Cli.run("keygen", "-o", dir.toString(), "-n", "rsa", "--rsa").exitCode);
        assertTrue(Files.readString(dir.resolve("rsa_private.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        Cli token = Cli.run("token", "-k", dir.resolve("rsa_private.pem").toString(), "-r", "dev-3");
        assertEquals(0, token.exitCode, token.err);
        assertEquals("RS256", part(token.out.trim(), 0).path("alg").asText());
        assertTrue(verifies(token.out.trim(), publicKey(dir.resolve("rsa_public.pem"), "RSA"), "SHA256withRSA"));
    }

    @Test
    void shouldRefuseOverwritingKeysAndLifetimesOverADay() throws Exception {
        assertEquals(0, Cli.run("keygen", "-o", dir.toString()).exitCode);
        Cli again = Cli.run("keygen", "-o", dir.toString());
        assertNotEquals(0, again.exitCode);
        assertTrue(again.err.contains("--force"), again.err);
        assertEquals(0, Cli.run("keygen", "-o", dir.toString(), "--force").exitCode);

        Cli tooLong = Cli.run("token", "-k", dir.resolve("ec_private.pem").toString(), "-r", "dev", "-l", "25h");
        assertEquals(1, tooLong.exitCode);
        assertTrue(tooLong.err.contains("at most 24h"), tooLong.err);
        assertEquals(2, Cli.run("token", "-k", dir.resolve("ec_private.pem").toString(), "-r", "dev", "-l", "soon").exitCode);
        assertEquals(2, Cli.run("token").exitCode);
        Cli missing = Cli.run("token", "-k", dir.resolve("nope.pem").toString(), "-r", "dev");
        assertEquals(1, missing.exitCode);
    }

    @Test
    void shouldOfferHelpForEveryCommand() {
        for (String command : new String[] { "keygen", "token", "simulate", "provision", "import-gcp" }) {
            Cli help = Cli.run(command, "--help");
            assertEquals(0, help.exitCode, command);
            assertTrue(help.out.contains("Usage: dps-device " + command), help.out);
        }
        assertTrue(Cli.run("--help").out.contains("import-gcp"));
    }
}
