package io.github.dpsjwt.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds device tokens the way devices do, and hostile ones the way attackers do: any header, any
 * claims, any signature bytes.
 */
public final class Jwts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();

    private Jwts(String alg) {
        header.put("alg", alg);
        header.put("typ", "JWT");
    }

    /** A token as a Google Cloud IoT Core device makes it: iat now, exp in an hour, the seed's binding claim. */
    public static Jwts device(String alg, String registrationId) {
        long now = System.currentTimeMillis() / 1000;
        return new Jwts(alg).claim("iat", now).claim("exp", now + 3600).claim("registration_id", registrationId);
    }

    public static Jwts empty(String alg) {
        return new Jwts(alg);
    }

    public Jwts header(String name, Object value) {
        header.put(name, value);
        return this;
    }

    public Jwts claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    /** Times relative to now, in seconds. */
    public Jwts times(long iatOffset, long expOffset) {
        long now = System.currentTimeMillis() / 1000;
        return claim("iat", now + iatOffset).claim("exp", now + expOffset);
    }

    public String signingInput() {
        return encode(header) + "." + encode(claims);
    }

    /** Signs with ES256 (raw R||S, as JWS wants) or RS256, according to the key. */
    public String sign(PrivateKey key) {
        String input = signingInput();
        return input + "." + B64.encodeToString(signature(key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Signs with the JCA's DER ECDSA encoding, which a JWS must not carry. */
    public String signDer(PrivateKey ecKey) {
        String input = signingInput();
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(ecKey);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String withSignature(byte[] signature) {
        return signingInput() + "." + B64.encodeToString(signature);
    }

    public static byte[] signature(PrivateKey key, byte[] input) {
        try {
            Signature signer = Signature.getInstance(
                    key.getAlgorithm().equals("EC") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            signer.initSign(key);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    private static String encode(Map<String, Object> json) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
