package io.github.dpsjwt.signature;

import java.security.KeyRep;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * A P-256 public key in verify-ready form: checked once as a P-256 point and verified with this project's
 * P-256 code ({@link P256}). To everything that inspects keys (SmallRye JWT's algorithm choice, jose4j's
 * key checks) it is the JDK key it was made from: same point, curve, encoding, equality and hash. It
 * keeps only those, not the JDK key's object graph: about 300 bytes less per device, 30 MB for 100,000.
 *
 * <p>A key's first verification uses a small table made on the spot (512 bytes, dropped after).
 * From its second on, a key can verify with a table of precomputed multiples (4 KB) that is about three
 * times as fast, built in about the time of three verifications: a device that registers once never
 * pays for it. Tables are kept for at most {@link #setWarmCapacity(int) a bounded number} of keys, so
 * memory stays bounded however many devices register. A key only takes a table from another when it
 * has been used more often lately (see {@link WarmKeys}): when there are more devices than tables, the
 * keys that hold tables keep them, and the others verify with the small table instead of building
 * tables that would be pushed out before their next use.
 */
public final class Es256PublicKey implements ECPublicKey {

    private static final long serialVersionUID = 1L;

    private static volatile WarmKeys warmKeys = new WarmKeys(10_000);
    private static final LongAdder WARM_VERIFICATIONS = new LongAdder();
    private static final LongAdder SMALL_TABLE_VERIFICATIONS = new LongAdder();
    private static final LongAdder TABLES_BUILT = new LongAdder();
    private static final LongAdder TABLES_EVICTED = new LongAdder();
    /** In {@link #warm}: used before, no table. */
    private static final int[] SEEN = new int[0];
    /** In {@link #warm}: given a place among the warm keys, its table being built. */
    private static final int[] BUILDING = new int[0];

    private final transient ECPoint w;
    private final transient ECParameterSpec params;
    private final byte[] encoded;
    private final int hash;
    private transient volatile int[] warm;
    /** Recent uses, at most {@link WarmKeys#MAX_USES}, as of generation {@link #usesGeneration} (see {@link WarmKeys}). */
    private transient int uses;
    private transient int usesGeneration;

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
        WarmKeys ring = warmKeys;
        int[] table = warm;
        if (ring.capacity() == 0) {
            return isTable(table) ? verifyWarm(table, digest, signature) : verifySmall(digest, signature);
        }
        int usedBefore = ring.recordUse(this);
        if (table == null) {
            WARM.compareAndSet(this, null, SEEN);
        } else if (table == SEEN) {
            // only the thread that moves the key on from SEEN may give it a place: a key holding two
            // places would keep a table after giving up one of them
            if (WARM.compareAndSet(this, SEEN, BUILDING)) {
                if (ring.admit(this, usedBefore)) {
                    int[] built = P256.table(w.getAffineX(), w.getAffineY());
                    TABLES_BUILT.increment();
                    // fails when the key was pushed out while its table was being built: it stays SEEN
                    WARM.compareAndSet(this, BUILDING, built);
                    return verifyWarm(built, digest, signature);
                }
                warm = SEEN;
            }
        } else if (table != BUILDING) {
            return verifyWarm(table, digest, signature);
        }
        return verifySmall(digest, signature);
    }

    private static boolean verifyWarm(int[] table, byte[] digest, byte[] signature) {
        WARM_VERIFICATIONS.increment();
        return P256.verify(table, digest, signature);
    }

    private boolean verifySmall(byte[] digest, byte[] signature) {
        SMALL_TABLE_VERIFICATIONS.increment();
        return P256.verify(smallTable(), digest, signature);
    }

    /** What the warm-key tables did since the process started, for the metrics. */
    public record WarmKeyCounts(int capacity, long warmVerifications, long smallTableVerifications, long tablesBuilt,
            long tablesEvicted) {
    }

    /** The counts so far: verifications with a key's precomputed table and without, tables built and pushed out. */
    public static WarmKeyCounts warmKeyCounts() {
        return new WarmKeyCounts(warmKeys.capacity(), WARM_VERIFICATIONS.sum(), SMALL_TABLE_VERIFICATIONS.sum(),
                TABLES_BUILT.sum(), TABLES_EVICTED.sum());
    }

    private int[] smallTable() {
        return P256.smallTable(w.getAffineX(), w.getAffineY());
    }

    /** Whether this key currently keeps its precomputed tables. */
    boolean isWarm() {
        return isTable(warm);
    }

    /** Whether a value of {@link #warm} is a table, not null or one of the empty markers. */
    private static boolean isTable(int[] warm) {
        return warm != null && warm.length > 0;
    }

    /**
     * The keys holding tables, one per slot, and the rule that decides which keys those are.
     *
     * <p>Every key counts its recent uses. A key used before and holding no table asks for the slot under
     * a hand that moves on by one at each request. It gets the slot when the slot is empty or when it has
     * been used more often than the key in it, which then gives up its table; on a tie the key in the slot
     * stays. Counts go up to {@link #MAX_USES} and halve each generation, which lasts as many requests for
     * a slot as there are slots (at least {@link #MIN_GENERATION}), so that a key busy long ago gives way
     * to one busy now.
     *
     * <p>Why not simply the most recent keys: when devices come back in turn and there are more of them
     * than slots (a reconnection storm, or a daily re-registration of a large fleet), every table would
     * be pushed out before its key's next use, so every verification would also pay for building one
     * (about three verifications). With this rule the keys holding tables keep them and the others verify
     * with the small table, as they would with no tables at all (measured: see docs/benchmarks.md).
     *
     * <p>Slots are swapped atomically, and a key takes a slot only from the state {@code BUILDING}, which
     * one thread at a time can set, so a key holds at most one slot, and a key pushed out always gives up
     * its table: a key holds a table only while a slot holds it. The counts are plain fields, updated
     * without synchronization: a lost update only makes a count slightly off.
     */
    static final class WarmKeys {
        /** The largest count of recent uses. */
        static final int MAX_USES = 15;
        /** The fewest requests for a slot that make a generation. */
        static final int MIN_GENERATION = 64;

        private final AtomicReferenceArray<Es256PublicKey> slots;
        private final AtomicInteger hand = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();
        private final int generationLength;
        private volatile int generation;

        WarmKeys(int capacity) {
            if (capacity < 0) {
                throw new IllegalArgumentException("warm key capacity must not be negative");
            }
            slots = new AtomicReferenceArray<>(capacity);
            generationLength = Math.max(capacity, MIN_GENERATION);
        }

        int capacity() {
            return slots.length();
        }

        /** Counts a use of the key; returns its count of recent uses before this one. */
        int recordUse(Es256PublicKey key) {
            int now = generation;
            int before = recentUses(key, now);
            key.uses = Math.min(before + 1, MAX_USES);
            key.usesGeneration = now;
            return before;
        }

        private static int recentUses(Es256PublicKey key, int now) {
            int age = now - key.usesGeneration;
            return age >= Integer.SIZE ? 0 : key.uses >>> age;
        }

        /**
         * Asks for the slot under the hand for a key that holds no table.
         *
         * @param usedBefore the key's count of recent uses, without the current one
         * @return whether the key got the slot; the key it pushed out, if any, has given up its table
         */
        boolean admit(Es256PublicKey key, int usedBefore) {
            if (requests.incrementAndGet() % generationLength == 0) {
                // one thread per generation gets here, so the unsynchronized increment loses nothing
                generation++;
            }
            int slot = Math.floorMod(hand.getAndIncrement(), slots.length());
            Es256PublicKey holder = slots.get(slot);
            if (holder != null && usedBefore <= recentUses(holder, generation)) {
                return false;
            }
            if (!slots.compareAndSet(slot, holder, key)) {
                return false;
            }
            if (holder != null) {
                holder.warm = SEEN;
                TABLES_EVICTED.increment();
            }
            return true;
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
