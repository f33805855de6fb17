package io.github.dpsjwt.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import io.github.dpsjwt.registry.Credential;
import io.github.dpsjwt.registry.Device;
import io.github.dpsjwt.registry.KeyOwners;
import io.github.dpsjwt.signature.Es256PublicKey;

/**
 * Verifies a token made on the spot with a key made on the spot, through the whole verification path.
 * Run off the start-up path, it loads and initializes what the first device would otherwise wait for
 * (jose4j's algorithm registry, SmallRye JWT, the P-256 generator tables) while Quarkus boots on the
 * other core; and it proves the crypto path accepts a good token before any device depends on it.
 */
public final class VerifierWarmUp {

    private static final String ID = "warm-up";

    private VerifierWarmUp() {
    }

    /**
     * @param rounds how many verifications (a few: the first takes a key's first-use path, the later ones
     *        its kept table, so that both are loaded and the JIT sees them)
     * @throws io.github.dpsjwt.error.RefusalException when a freshly signed token does not verify
     */
    public static void run(DeviceTokenVerifier verifier, int rounds) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Device device = new Device(ID, false, List.of(Credential.of(new Es256PublicKey((ECPublicKey) pair.getPublic()), null, KeyOwners.ONE_DEVICE)));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String input = b64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII)) + "."
                + b64.encodeToString(("{\"iat\":" + now + ",\"exp\":" + (now + 60) + ",\"registration_id\":\"" + ID + "\""
                        + verifier.acceptedAudience().map(aud -> ",\"aud\":" + quoted(aud)).orElse("") + "}")
                        .getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        String token = input + "." + b64.encodeToString(signer.sign());
        for (int i = 0; i < rounds; i++) {
            verifier.verify(token, device, ID);
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
