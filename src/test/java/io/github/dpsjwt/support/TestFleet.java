package io.github.dpsjwt.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The devices the HTTP tests provision, with keys made once per test JVM and a registry file in the
 * shape of a Google Cloud IoT Core export.
 */
public final class TestFleet {

    /** The seed-mode key, and the key of device "dev-ec" in the registry file. */
    public static final KeyPair EC = Keys.ec();
    public static final KeyPair EC_OLD = Keys.ec();
    public static final KeyPair RSA = Keys.rsa();
    public static final KeyPair STRANGER = Keys.ec();

    private static Path registryFile;

    private TestFleet() {
    }

    /** The registry file, written on first use. */
    public static synchronized Path registryFile() {
        if (registryFile == null) {
            try {
                Path dir = Files.createTempDirectory("dps-jwt-allocator-test");
                registryFile = dir.resolve("registry.json");
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(registryFile.toFile(), devices());
                registryFile.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return registryFile;
    }

    private static List<Map<String, Object>> devices() {
        String never = "1970-01-01T00:00:00Z";
        return List.of(
                Map.of("id", "dev-ec", "numId", "2820001", "blocked", false, "metadata", Map.of("site", "lab"),
                        "credentials", List.of(credential("ES256_PEM", Keys.pem(EC.getPublic()), never))),
                Map.of("id", "Dev-RSA", "numId", "2820002",
                        "credentials", List.of(credential("RSA_X509_PEM", Keys.certificatePem(RSA, false), never))),
                Map.of("id", "dev-rotated", "numId", "2820003",
                        "credentials", List.of(
                                credential("ES256_PEM", Keys.pem(EC_OLD.getPublic()), Instant.now().minusSeconds(86400).toString()),
                                credential("ES256_X509_PEM", Keys.certificatePem(EC, false), Instant.now().plusSeconds(86400).toString()))),
                Map.of("id", "dev-blocked", "numId", "2820004", "blocked", true,
                        "credentials", List.of(credential("ES256_PEM", Keys.pem(EC.getPublic()), never))),
                Map.of("id", "dev-expired", "numId", "2820005",
                        "credentials", List.of(credential("ES256_PEM", Keys.pem(EC.getPublic()), "2020-01-01T00:00:00Z"))),
                Map.of("id", "dev bad id", "credentials", List.of(credential("ES256_PEM", Keys.pem(EC.getPublic()), never))),
                Map.of("id", "dev-broken-key", "credentials", List.of(credential("ES256_PEM", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", never))));
    }

    private static Map<String, Object> credential(String format, String key, String expiration) {
        return Map.of("publicKey", Map.of("format", format, "key", key), "expirationTime", expiration);
    }
}
