package io.github.dpsjwt.signature;

import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;

/**
 * jose4j's ES256, with the signature check done by the {@link Es256Engine} in use (see {@link #use}) when the key
 * is an {@link Es256PublicKey}. Everything around it stays jose4j's and SmallRye JWT's: algorithm constraints, key
 * checks, claims. On this path a signature that is not exactly 64 bytes (R||S; a DER one, say) is refused here,
 * and the engines refuse an r or s outside [1, n-1], zero included, as jose4j's own pre-checks would. A JDK P-256
 * key is checked by the same engine (see {@link #prepare}); jose4j's JCA path for ES256 is never taken. When the
 * engine in use, other than the builtin one, throws (a provider's fault, never a device's), that is logged once and
 * the builtin code answers for it; an algorithm bound to one engine (the vector checks) lets it throw, so that the
 * check sees the fault.
 */
public final class FastEs256Algorithm extends EcdsaUsingShaAlgorithm.EcdsaP256UsingSha256 {

    private static final Logger LOG = Logger.getLogger(FastEs256Algorithm.class);
    private static final AtomicBoolean ENGINE_FAILURE_LOGGED = new AtomicBoolean();

    private static volatile Es256Engine inUse = Es256Engines.builtin();

    /** The engine this instance always uses, or null for the one in use at each call. */
    private final Es256Engine engine;

    /** The algorithm jose4j is given: it verifies with whichever engine is {@linkplain #use in use}. */
    public FastEs256Algorithm() {
        this(null);
    }

    /** An algorithm bound to one engine, whatever is in use (for the vector self-test). */
    public FastEs256Algorithm(Es256Engine engine) {
        this.engine = engine;
    }

    /** Makes every jose4j consumer in this JVM use this class for ES256; idempotent. */
    public static void install() {
        Holder.INSTALLED.hashCode();
    }

    /** Sets the engine that every ES256 verification uses from now on (the builtin one until set). */
    public static void use(Es256Engine engine) {
        inUse = Objects.requireNonNull(engine);
    }

    /** The engine in use. */
    public static Es256Engine inUse() {
        return inUse;
    }

    private static final class Holder {
        static final Object INSTALLED = register();

        private static Object register() {
            AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().registerAlgorithm(new FastEs256Algorithm());
            return Boolean.TRUE;
        }
    }

    @Override
    public boolean verifySignature(byte[] signature, Key key, byte[] securedInput, ProviderContext providerContext) {
        Es256PublicKey es256 = key instanceof Es256PublicKey prepared ? prepared : prepare(key);
        if (es256 == null || signature.length != 64) {
            return false;
        }
        if (engine != null) {
            return engine.verify(es256, securedInput, signature);
        }
        Es256Engine verifying = inUse;
        try {
            return verifying.verify(es256, securedInput, signature);
        } catch (RuntimeException e) {
            // an engine that throws is the engine's fault, not the device's: the builtin code answers instead
            if (verifying == Es256Engines.builtin()) {
                throw e;
            }
            if (ENGINE_FAILURE_LOGGED.compareAndSet(false, true)) {
                LOG.errorf("the ES256 engine %s failed (%s); the builtin P-256 code verifies when it does (logged once)",
                        verifying.name(), e.toString());
            }
            return Es256Engines.builtin().verify(es256, securedInput, signature);
        }
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
}
