package io.github.dpsjwt.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A benchmark fleet: N devices, each with its own P-256 key pair, and a fast signer for their tokens
 * (BouncyCastle's, so that minting 100,000 tokens takes seconds, not minutes).
 */
final class Fleet {

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

    final KeyPair[] keys;
    private final ECPrivateKeyParameters[] signing;
    private final SecureRandom random = new SecureRandom();

    Fleet(int devices) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        keys = new KeyPair[devices];
        signing = new ECPrivateKeyParameters[devices];
        for (int i = 0; i < devices; i++) {
            keys[i] = generator.generateKeyPair();
            signing[i] = new ECPrivateKeyParameters(((ECPrivateKey) keys[i].getPrivate()).getS(), DOMAIN);
        }
    }

    static String id(int device) {
        return "bench-device-" + device;
    }

    String publicPem(int device) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys[device].getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A device token as Google Cloud IoT Core devices make it; {@code nonce} makes each one distinct. */
    String token(int device, long issuedAt, long lifetimeSeconds, int nonce) throws Exception {
        String claims = "{\"iat\":" + issuedAt + ",\"exp\":" + (issuedAt + lifetimeSeconds) + ",\"registration_id\":\"" + id(device)
                + "\",\"jti\":\"" + nonce + "\"}";
        String input = HEADER + "." + B64.encodeToString(claims.getBytes(StandardCharsets.US_ASCII));
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(signing[device], random));
        BigInteger[] rs = signer.generateSignature(MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.US_ASCII)));
        byte[] raw = new byte[64];
        put(rs[0], raw, 0);
        put(rs[1], raw, 32);
        return input + "." + B64.encodeToString(raw);
    }

    private static void put(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
    }
}
