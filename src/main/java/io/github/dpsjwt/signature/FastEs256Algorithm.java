package io.github.dpsjwt.signature;

import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.jose4j.lang.JoseException;


/**
 * jose4j's ES256, with the signature check done by the key's own P-256 code when the key is an
 * {@link Es256PublicKey}. Everything around it stays jose4j's and SmallRye JWT's: algorithm
 * constraints, key checks, claims. On this path a signature that is not exactly 64 bytes (R||S; a DER
 * one, say) is refused here, and {@link Es256PublicKey#verify} refuses an r or s outside [1, n-1],
 * zero included, as jose4j's own pre-checks would. A JDK P-256 key is checked by the same code (see
 * {@link #prepare}); jose4j's JCA path for ES256 is never taken.
 */
public final class FastEs256Algorithm extends EcdsaUsingShaAlgorithm.EcdsaP256UsingSha256 {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(FastEs256Algorithm::sha256);

    /** Makes every jose4j consumer in this JVM use this class for ES256; idempotent. */
    public static void install() {
        Holder.INSTALLED.hashCode();
    }

    private static final class Holder {
        static final Object INSTALLED = register();

        private static Object register() {
            AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().registerAlgorithm(new FastEs256Algorithm());
            return Boolean.TRUE;
        }
    }

    @Override
    public boolean verifySignature(byte[] signature, Key key, byte[] securedInput, ProviderContext providerContext)
            throws JoseException {
        Es256PublicKey es256 = key instanceof Es256PublicKey prepared ? prepared : prepare(key);
        if (es256 == null || signature.length != 64) {
            return false;
        }
        MessageDigest digest = SHA256.get();
        digest.reset();
        return es256.verify(digest.digest(securedInput), signature);
    }

    /**
     * Any other P-256 key goes through the same code, prepared for this one use: jose4j's own path on the JDK
     * accepts signatures of other lengths and refuses valid ones whose r has leading zero bytes (Wycheproof's
     * P1363 vectors 115 and 121-151 among others), so no ES256 signature takes it.
     */
    private static Es256PublicKey prepare(Key key) {
        if (!(key instanceof ECPublicKey ec)) {
            return null;
        }
        try {
            return new Es256PublicKey(ec);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
