package io.github.dpsjwt.registry;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A P-256 public key in verify-ready form: the JDK key (for everything that inspects keys, such as
 * SmallRye JWT's algorithm choice and jose4j's key checks), checked once as a P-256 point and verified
 * with BouncyCastle's own P-256 code.
 *
 * <p>BouncyCastle keeps precomputed multiples on a point it has verified with, and after a few uses
 * switches that point to a fixed-point comb: about twice as fast, for about 7.5 KB per key. Those
 * tables are kept for at most {@link #setWarmCapacity(int) a bounded number} of recently used keys;
 * a key pushed out verifies from a fresh point again (correct, only slower), so memory stays bounded
 * however many devices register.
 */
public final class Es256PublicKey implements ECPublicKey {

    private static final long serialVersionUID = 1L;
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    private static final ThreadLocal<ECDSASigner> SIGNERS = ThreadLocal.withInitial(ECDSASigner::new);

    private static volatile WarmKeys warmKeys = new WarmKeys(10_000);

    private final ECPublicKey jdkKey;
    private transient volatile ECPublicKeyParameters warm;

    /**
     * @param jdkKey a key already checked to be on P-256
     * @throws IllegalArgumentException when the point is not a valid P-256 public point
     */
    public Es256PublicKey(ECPublicKey jdkKey) {
        this.jdkKey = jdkKey;
        DOMAIN.validatePublicPoint(bouncyCastlePoint());
    }

    private org.bouncycastle.math.ec.ECPoint bouncyCastlePoint() {
        ECPoint w = jdkKey.getW();
        return DOMAIN.getCurve().createPoint(w.getAffineX(), w.getAffineY());
    }

    /**
     * How many keys keep their precomputed tables (about 7.5 KB each once warm); 0 keeps none.
     * Applies from the next verification on.
     */
    public static void setWarmCapacity(int keys) {
        warmKeys = new WarmKeys(keys);
    }

    /**
     * Checks an ECDSA signature over a SHA-256 digest with BouncyCastle's P-256 code, on a signer kept
     * per thread.
     *
     * @param digest SHA-256 of the signed bytes
     * @param r the signature's r, as an unsigned integer
     * @param s the signature's s, as an unsigned integer
     */
    public boolean verify(byte[] digest, BigInteger r, BigInteger s) {
        ECPublicKeyParameters parameters = warm;
        if (parameters == null) {
            // a point of its own, so that the tables BouncyCastle hangs on it go when the key cools
            parameters = new ECPublicKeyParameters(bouncyCastlePoint(), DOMAIN);
            if (warmKeys.admit(this)) {
                warm = parameters;
            }
        }
        ECDSASigner signer = SIGNERS.get();
        signer.init(false, parameters);
        return signer.verifySignature(digest, r, s);
    }

    /** Whether this key currently keeps its precomputed tables. */
    boolean isWarm() {
        return warm != null;
    }

    /**
     * A clock of the keys holding tables: admitting one pushes out the oldest. Races between threads
     * can only make a key cool early or admit it twice, which costs speed, never correctness.
     */
    static final class WarmKeys {
        private final Es256PublicKey[] slots;
        private final AtomicInteger next = new AtomicInteger();

        WarmKeys(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("warm key capacity must not be negative");
            }
            slots = new Es256PublicKey[capacity];
        }

        boolean admit(Es256PublicKey key) {
            if (slots.length == 0) {
                return false;
            }
            int slot = Math.floorMod(next.getAndIncrement(), slots.length);
            Es256PublicKey evicted = slots[slot];
            slots[slot] = key;
            if (evicted != null && evicted != key) {
                evicted.warm = null;
            }
            return true;
        }
    }

    @Override
    public ECPoint getW() {
        return jdkKey.getW();
    }

    @Override
    public ECParameterSpec getParams() {
        return jdkKey.getParams();
    }

    @Override
    public String getAlgorithm() {
        return jdkKey.getAlgorithm();
    }

    @Override
    public String getFormat() {
        return jdkKey.getFormat();
    }

    @Override
    public byte[] getEncoded() {
        return jdkKey.getEncoded();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Es256PublicKey that ? jdkKey.equals(that.jdkKey) : jdkKey.equals(other);
    }

    @Override
    public int hashCode() {
        return jdkKey.hashCode();
    }
}
