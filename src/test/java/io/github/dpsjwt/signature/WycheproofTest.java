package io.github.dpsjwt.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.jose4j.jca.ProviderContext;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.registry.KeyFormat;
import io.github.dpsjwt.registry.PublicKeys;

/**
 * Google's Wycheproof vectors (src/test/resources/wycheproof, with their source commit and licence) through every
 * verification path the webhook has. ECDSA P-256 with SHA-256: the P1363 file whole, and the DER file's cases whose
 * signature is canonical DER with r and s below 2^256 (the others are about DER, which a JWS never carries); each
 * through the P-256 code with both table layouts, {@link Es256PublicKey} from its first use to a kept table,
 * {@link FastEs256Algorithm} (the jose4j hook) with a prepared key and with a plain JDK key, with each ES256 engine
 * (builtin and ACCP). "valid" must verify
 * and "invalid" must not; "acceptable" may go either way. The RSA vectors, and the P1363 file once more, go through
 * the production code's own runner, {@code token/VectorSelfTest} (its test, and the packaged application's).
 */
class WycheproofTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();
    /** Every engine: the builtin code (also checked above table by table) and ACCP, which the JVM build carries. */
    static final List<Es256Engine> ENGINES = FastEs256AlgorithmTest.engines();

    record Vector(String file, int id, byte[] message, byte[] signature, String result) {
        String name() {
            return file + " #" + id;
        }
    }

    static JsonNode load(String file) throws IOException {
        try (InputStream in = WycheproofTest.class.getResourceAsStream("/wycheproof/" + file)) {
            return JSON.readTree(in);
        }
    }

    static byte[] sha256(byte[] message) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(message);
    }

    @Test
    void shouldAgreeWithEveryP1363Vector() throws Exception {
        int checked = checkEcdsa("ecdsa_secp256r1_sha256_p1363_test.json", false);
        assertEquals(262, checked, "every vector of the P1363 file");
    }

    @Test
    void shouldAgreeWithEveryCanonicalDerVector() throws Exception {
        int checked = checkEcdsa("ecdsa_secp256r1_sha256_test.json", true);
        assertTrue(checked >= 150, "most of the DER file's vectors are canonical DER: " + checked);
    }

    /** @return how many vectors were checked */
    static int checkEcdsa(String file, boolean der) throws Exception {
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode group : load(file).path("testGroups")) {
            String pem = group.path("publicKeyPem").asText();
            Es256PublicKey key = (Es256PublicKey) PublicKeys.parse(pem, KeyFormat.ES256_PEM);
            ECPublicKey jdkKey = (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(HEX.parseHex(group.path("publicKeyDer").asText())));
            List<int[]> tables = P256Test.tables(P256Test.CURVE.getCurve().createPoint(jdkKey.getW().getAffineX(),
                    jdkKey.getW().getAffineY()));
            for (JsonNode test : group.path("tests")) {
                byte[] signature = HEX.parseHex(test.path("sig").asText());
                if (der) {
                    signature = p1363(signature);
                    if (signature == null) {
                        continue;
                    }
                }
                Vector vector = new Vector(file, test.path("tcId").asInt(), HEX.parseHex(test.path("msg").asText()), signature,
                        test.path("result").asText());
                byte[] digest = sha256(vector.message());
                List<Boolean> outcomes = new ArrayList<>();
                for (int[] table : tables) {
                    outcomes.add(P256.verify(table, digest, signature));
                }
                // a fresh key object: first use (small table), second (builds its table), third (kept table)
                Es256PublicKey fresh = (Es256PublicKey) PublicKeys.parse(pem, KeyFormat.ES256_PEM);
                for (int use = 0; use < 3; use++) {
                    outcomes.add(fresh.verify(digest, signature));
                }
                outcomes.add(key.verify(digest, signature));
                outcomes.add(jose4j(new FastEs256Algorithm(), signature, key, vector.message()));
                outcomes.add(jose4j(new FastEs256Algorithm(), signature, jdkKey, vector.message()));
                for (Es256Engine engine : ENGINES) {
                    outcomes.add(jose4j(new FastEs256Algorithm(engine), signature, key, vector.message()));
                    outcomes.add(jose4j(new FastEs256Algorithm(engine), signature, jdkKey, vector.message()));
                }
                expect(vector, outcomes, wrong);
                checked++;
            }
        }
        assertEquals(List.of(), wrong);
        return checked;
    }

    static void expect(Vector vector, List<Boolean> outcomes, List<String> wrong) {
        switch (vector.result()) {
            case "valid" -> {
                if (outcomes.contains(false)) {
                    wrong.add(vector.name() + " is valid, refused by path(s) " + outcomes);
                }
            }
            case "invalid" -> {
                if (outcomes.contains(true)) {
                    wrong.add(vector.name() + " is invalid, accepted by path(s) " + outcomes);
                }
            }
            default -> {
                if (outcomes.contains(true) && outcomes.contains(false)) {
                    wrong.add(vector.name() + " (acceptable) gets different answers on different paths " + outcomes);
                }
            }
        }
    }

    static boolean jose4j(org.jose4j.jws.JsonWebSignatureAlgorithm algorithm, byte[] signature, Key key, byte[] message) {
        try {
            return algorithm.verifySignature(signature, key, message, new ProviderContext());
        } catch (JoseException e) {
            return false;
        }
    }

    /** r||s from a canonical DER ECDSA signature with r and s in [0, 2^256), or null for any other encoding. */
    static byte[] p1363(byte[] der) {
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
            if (!(parsed instanceof ASN1Sequence sequence) || sequence.size() != 2
                    || !java.util.Arrays.equals(sequence.getEncoded(ASN1Encoding.DER), der)) {
                return null;
            }
            BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
            if (r.signum() < 0 || s.signum() < 0 || r.bitLength() > 256 || s.bitLength() > 256) {
                return null;
            }
            return P256Test.signature(r, s);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
