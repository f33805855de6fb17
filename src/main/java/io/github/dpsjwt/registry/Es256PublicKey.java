package io.github.dpsjwt.registry;

import java.security.KeyRep;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A P-256 public key in verify-ready form: checked once as a P-256 point and verified with this project's
 * P-256 code ({@link P256}). To everything that inspects keys (SmallRye JWT's algorithm choice, jose4j's
 * key checks) it is the JDK key it was made from: same point, curve, encoding, equality and hash. It
 * keeps only those, not the JDK key's object graph: about 300 bytes less per device, 30 MB for 100,000.
 *
 * <p>A key's first verification uses a small table made on the spot (512 bytes, dropped after).
 * From its second on, a key verifies with a table of precomputed multiples (4 KB) that is about three
 * times as fast, built in about the time of three verifications: a device that registers once never
 * pays for it. Tables are kept for at most {@link #setWarmCapacity(int) a bounded number} of recently
 * admitted keys; a key pushed out builds its table again on its next use (correct, only slower), so
 * memory stays bounded however many devices register.
 */
public final class Es256PublicKey implements ECPublicKey {

    private static final long serialVersionUID = 1L;

    private static volatile WarmKeys warmKeys = new WarmKeys(10_000);
    /** In {@link #warm}: used once, no table yet. */
    private static final int[] SEEN = new int[0];

    private final transient ECPoint w;
    private final transient ECParameterSpec params;
    private final byte[] encoded;
    private final int hash;
    private transient volatile int[] warm;

    private static final AtomicReferenceFieldUpdater<Es256PublicKey, int[]> WARM =
            AtomicReferenceFieldUpdater.newUpdater(Es256PublicKey.class, int[].class, "warm");

    /**
     * @param jdkKey a key already checked to be on P-256
     * @throws IllegalArgumentException when the point is not a valid P-256 public point
     */
    public Es256PublicKey(ECPublicKey jdkKey) {
        ECPoint point = jdkKey.getW();
        if (point == ECPoint.POINT_INFINITY || !P256.isValidPoint(point.getAffineX(), point.getAffineY())) {
            throw new IllegalArgumentException("not a valid P-256 public point");
        }
        this.w = point;
        this.params = jdkKey.getParams();
        this.encoded = jdkKey.getEncoded();
        this.hash = jdkKey.hashCode();
    }

    /**
     * How many keys keep their precomputed tables (about 4 KB each); 0 keeps none, and every
     * verification then uses a small table made for it. Applies from the next verification on; keys
     * that hold a table from before keep it (a start-up setting).
     */
    public static void setWarmCapacity(int keys) {
        warmKeys = new WarmKeys(keys);
    }

    /**
     * Checks an ECDSA P-256 signature over a SHA-256 digest.
     *
     * @param digest SHA-256 of the signed bytes
     * @param signature r and s as 32 big-endian bytes each (the JWS form); any other length is invalid
     */
    public boolean verify(byte[] digest, byte[] signature) {
        int[] table = warm;
        if (table == null || table == SEEN) {
            WarmKeys ring = warmKeys;
            if (table == null || ring.capacity() == 0) {
                if (ring.capacity() > 0) {
                    WARM.compareAndSet(this, null, SEEN);
                }
                return P256.verify(P256.smallTable(w.getAffineX(), w.getAffineY()), digest, signature);
            }
            table = P256.table(w.getAffineX(), w.getAffineY());
            // only the thread that installs the table admits the key: a key admitted twice would push
            // out another key, which would push out another when it comes back, and so on for ever
            if (WARM.compareAndSet(this, SEEN, table)) {
                ring.admit(this);
            }
        }
        return P256.verify(table, digest, signature);
    }

    /** Whether this key currently keeps its precomputed tables. */
    boolean isWarm() {
        int[] table = warm;
        return table != null && table != SEEN;
    }

    /**
     * A ring of the keys holding tables: admitting one pushes out the one admitted longest ago. A key
     * is admitted only by the thread that installed its table, so it holds at most one slot, and a slot
     * is swapped atomically, so every key pushed out gives up its table, even when two threads are
     * given the same slot (the ring wrapped around during an admission). So a key holds a table only
     * while the ring holds it.
     */
    static final class WarmKeys {
        private final AtomicReferenceArray<Es256PublicKey> slots;
        private final AtomicInteger next = new AtomicInteger();

        WarmKeys(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("warm key capacity must not be negative");
            }
            slots = new AtomicReferenceArray<>(capacity);
        }

        int capacity() {
            return slots.length();
        }

        /** Takes the next slot for a key that has just become warm, cooling the key that held it. */
        void admit(Es256PublicKey key) {
            int slot = Math.floorMod(next.getAndIncrement(), slots.length());
            Es256PublicKey evicted = slots.getAndSet(slot, key);
            if (evicted != null && evicted != key) {
                // it has been used more than once: its next use builds a table again at once
                evicted.warm = SEEN;
            }
        }
    }

    @Override
    public ECPoint getW() {
        return w;
    }

    @Override
    public ECParameterSpec getParams() {
        return params;
    }

    @Override
    public String getAlgorithm() {
        return "EC";
    }

    @Override
    public String getFormat() {
        return "X.509";
    }

    @Override
    public byte[] getEncoded() {
        return encoded.clone();
    }

    /** Equal to any public key with the same X.509 encoding, as the JDK's keys are. */
    @Override
    public boolean equals(Object other) {
        if (other instanceof Es256PublicKey that) {
            return Arrays.equals(encoded, that.encoded);
        }
        return other instanceof PublicKey key && "X.509".equals(key.getFormat()) && Arrays.equals(encoded, key.getEncoded());
    }

    /** The JDK key's hash, so that it and this key may share a hash set. */
    @Override
    public int hashCode() {
        return hash;
    }

    /** Serialized as the JDK serializes its own public keys: by encoding, read back as a JDK key. */
    private Object writeReplace() {
        return new KeyRep(KeyRep.Type.PUBLIC, getAlgorithm(), getFormat(), encoded);
    }
}
