package io.github.dpsjwt.token;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.jws.RsaUsingShaAlgorithm;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.registry.KeyFormat;
import io.github.dpsjwt.registry.PublicKeys;
import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.signature.FastEs256Algorithm;

/**
 * Runs Google's Wycheproof signature vectors through the webhook's verification paths on the platform it runs on
 * (the JVM, or the native binary, whose compiled code is not the JVM's): ECDSA P-256 with SHA-256 in P1363 form
 * through the ES256 hook with each engine given, with a registry key from its first use to its kept table, and with a
 * plain JDK key; RSA PKCS#1 v1.5 with SHA-256 through the RS256 path. "valid" must verify and "invalid" must not.
 *
 * <p>Reads the vector files (Wycheproof's JSON, {@code ecdsa_secp256r1_sha256_p1363_test.json} and
 * {@code rsa_signature_*_sha256_test.json}) from a folder given at run time ({@link TokenConfig#selfTestVectors()});
 * none is shipped in the application.
 */
public final class VectorSelfTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    /** What the run found: how many vectors went through every path, and every disagreement. */
    public record Result(int vectors, List<String> disagreements) {
    }

    /** Runs the vectors through the builtin engine only. */
    public static Result run(Path folder) throws IOException {
        return run(folder, List.of(Es256Engines.builtin()));
    }

    private VectorSelfTest() {
    }

    /**
     * @param engines the ES256 engines to check, each on every ECDSA vector
     * @throws IOException when the folder or a vector file cannot be read, or holds none of the files
     */
    public static Result run(Path folder, List<Es256Engine> engines) throws IOException {
        FastEs256Algorithm.install();
        List<String> disagreements = new ArrayList<>();
        int vectors = 0;
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> {
                String name = file.getFileName().toString();
                return name.equals("ecdsa_secp256r1_sha256_p1363_test.json")
                        || (name.startsWith("rsa_signature_") && name.endsWith("_sha256_test.json"));
            }).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no Wycheproof vector files in " + folder);
        }
        for (Path file : files) {
            boolean ecdsa = file.getFileName().toString().startsWith("ecdsa");
            for (JsonNode group : JSON.readTree(file.toFile()).path("testGroups")) {
                String pem = group.path("publicKeyPem").asText();
                for (JsonNode test : group.path("tests")) {
                    byte[] message = HEX.parseHex(test.path("msg").asText());
                    byte[] signature = HEX.parseHex(test.path("sig").asText());
                    List<Boolean> outcomes = ecdsa ? ecdsa(engines, pem, group.path("publicKeyDer").asText(), message, signature)
                            : List.of(verify(new RsaUsingShaAlgorithm.RsaSha256(), parse(pem, KeyFormat.RSA_PEM), message, signature));
                    String expected = test.path("result").asText();
                    if (("valid".equals(expected) && outcomes.contains(false)) || ("invalid".equals(expected) && outcomes.contains(true))) {
                        disagreements.add(file.getFileName() + " #" + test.path("tcId").asInt() + " (" + expected + "): " + outcomes);
                    }
                    vectors++;
                }
            }
        }
        return new Result(vectors, disagreements);
    }

    private static List<Boolean> ecdsa(List<Es256Engine> engines, String pem, String der, byte[] message, byte[] signature)
            throws IOException {
        Key jdkKey;
        try {
            jdkKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(HEX.parseHex(der)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("a vector's key cannot be read", e);
        }
        List<Boolean> outcomes = new ArrayList<>(4 * engines.size());
        for (Es256Engine engine : engines) {
            // a fresh registry key each time: first use (small table), second (builds its table), third (kept table)
            Key key = parse(pem, KeyFormat.ES256_PEM);
            FastEs256Algorithm es256 = new FastEs256Algorithm(engine);
            for (int use = 0; use < 3; use++) {
                outcomes.add(verify(es256, key, message, signature));
            }
            outcomes.add(verify(es256, jdkKey, message, signature));
        }
        return outcomes;
    }

    private static Key parse(String pem, KeyFormat format) throws IOException {
        try {
            return PublicKeys.parse(pem, format);
        } catch (io.github.dpsjwt.registry.InvalidKeyException e) {
            throw new IOException("a vector's key cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean verify(JsonWebSignatureAlgorithm algorithm, Key key, byte[] message, byte[] signature) {
        try {
            return algorithm.verifySignature(signature, key, message, new ProviderContext());
        } catch (JoseException | RuntimeException e) {
            return false;
        }
    }
}
