package io.github.dpsjwt.signature;

import java.math.BigInteger;

import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Mod;
import org.bouncycastle.math.raw.Nat256;

/**
 * ECDSA verification on P-256 for a verifier that sees the same public keys again and again.
 *
 * <p>The field arithmetic is BouncyCastle's ({@link SecP256R1Field}: fully reduced, eight 32-bit
 * words, least significant first); the point arithmetic, the tables and the scalar recoding are
 * here. {@code u1·G + u2·Q} is computed with both scalars split into sixteen 16-bit parts, each part
 * with its own table of odd multiples of {@code 2^(16·i)·G} (window 8: 64 KB, built once) or of
 * {@code 2^(16·i)·Q} (window 4: 4 KB, built once per key by {@link #table}). That needs 16
 * doublings where a plain double-and-add needs 256. Measured on one core (10,000 keys, JDK 25): about
 * 15,500 verifications a second, against 14,000 with eight 32-bit parts (2 KB per key) and
 * 10,000-12,000 for BouncyCastle's own signer with its 7.5 KB per-key tables; nothing is allocated per
 * verification. Thirty-two 8-bit parts (8 KB per key) gained only 2-3 % more, and a wider window for
 * {@code G} (10: 256 KB) was faster alone but 4 % slower in the webhook, where the table competes with
 * everything else for the cache.
 *
 * <p>Building that table costs about what three verifications do (about 195 µs here), which does not
 * pay for a key seen once. {@link #smallTable} is the table for such a key: the odd multiples of
 * {@code Q} alone (window 5, 512 bytes), with which a verification takes the 256 doublings of a plain
 * interleaved double-and-add: about 5,000 a second.
 *
 * <p>Only public data goes through here (keys, signatures, digests), so the code is not constant
 * time. Every exceptional case of the point formulas (the point at infinity, adding a point to
 * itself or to its negation) is handled, whatever scalars a signature makes.
 */
final class P256 {

    /** Scalar split: sixteen parts of 16 bits, so 16 doublings per verification. */
    private static final int PARTS = 16;
    private static final int PART_BITS = 16;
    /** Window widths; wNAF digits are kept in bytes, so at most 8. */
    private static final int G_WINDOW = 8;
    private static final int Q_WINDOW = 4;
    /** Window width of a {@link #smallTable}, which has a single part. */
    private static final int SMALL_Q_WINDOW = 5;
    private static final int G_POINTS = 1 << (G_WINDOW - 2);
    /** Each affine point takes 16 ints in a table: x then y. */
    private static final int POINT_INTS = 16;
    /** The two table sizes, which tell a verification which layout it was given. */
    private static final int SPLIT_TABLE_INTS = PARTS * (1 << (Q_WINDOW - 2)) * POINT_INTS;
    private static final int SMALL_TABLE_INTS = (1 << (SMALL_Q_WINDOW - 2)) * POINT_INTS;
    /** wNAF digits of a scalar below 2^256 sit at positions 0..256; the rest is headroom for the recoder. */
    private static final int NAF_LENGTH = 256 + G_WINDOW + 1;

    static final BigInteger N = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final BigInteger P = new BigInteger("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", 16);
    private static final int[] P_INTS = Nat256.fromBigInteger(P);
    private static final BigInteger GX = new BigInteger("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296", 16);
    private static final BigInteger GY = new BigInteger("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5", 16);
    private static final BigInteger B = new BigInteger("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", 16);

    private static final int[] N_INTS = Nat256.fromBigInteger(N);
    /** p - n: an x-coordinate below it may stand for r or for r + n. */
    private static final int[] P_MINUS_N = Nat256.fromBigInteger(P.subtract(N));
    /** 2^512 mod n, to bring a value into Montgomery form. */
    private static final int[] R2_MOD_N = Nat256.fromBigInteger(BigInteger.ONE.shiftLeft(512).mod(N));
    /** -n^-1 mod 2^32, for Montgomery reduction. */
    private static final int N_PRIME = BigInteger.ONE.shiftLeft(32)
            .subtract(N.modInverse(BigInteger.ONE.shiftLeft(32))).intValue();

    /** Split like a per-key table; its first part, the odd multiples of G, also serves small tables. */
    private static final int[] G_TABLE = table(Nat256.fromBigInteger(GX), Nat256.fromBigInteger(GY), G_WINDOW, PARTS);

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private P256() {
    }

    /**
     * Whether (x, y) is a point of P-256 other than infinity, with both coordinates below p. The
     * group has a prime order, so such a point is a valid public key.
     */
    static boolean isValidPoint(BigInteger x, BigInteger y) {
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
        return y.multiply(y).mod(P).equals(right);
    }

    /** The per-key split table for a valid public point (x, y): 64 points, 4 KB. */
    static int[] table(BigInteger x, BigInteger y) {
        return table(Nat256.fromBigInteger(x), Nat256.fromBigInteger(y), Q_WINDOW, PARTS);
    }

    /**
     * The small table for a valid public point (x, y): 8 points, 512 bytes, built in about a tenth of
     * a verification. For a key used once; {@link #table} is worth building for a key used again.
     */
    static int[] smallTable(BigInteger x, BigInteger y) {
        return table(Nat256.fromBigInteger(x), Nat256.fromBigInteger(y), SMALL_Q_WINDOW, 1);
    }

    /**
     * Checks an ECDSA signature.
     *
     * @param keyTable the key's {@link #table(BigInteger, BigInteger) table} or
     *        {@link #smallTable(BigInteger, BigInteger) small table}
     * @param digest the SHA-256 digest of the signed bytes (32 bytes)
     * @param signature r and s, 32 big-endian bytes each
     * @return whether the signature is valid; r or s outside [1, n-1] is simply invalid
     */
    static boolean verify(int[] keyTable, byte[] digest, byte[] signature) {
        if (digest.length != 32 || signature.length != 64) {
            return false;
        }
        Work w = WORK.get();
        int[] r = w.r;
        int[] s = w.s;
        int[] e = w.e;
        readBigEndian(signature, 0, r);
        readBigEndian(signature, 32, s);
        if (Nat256.isZero(r) || Nat256.gte(r, N_INTS) || Nat256.isZero(s) || Nat256.gte(s, N_INTS)) {
            return false;
        }
        readBigEndian(digest, 0, e);
        if (Nat256.gte(e, N_INTS)) {
            Nat256.sub(e, N_INTS, e);
        }
        // u1 = e/s, u2 = r/s (mod n): one inversion and three Montgomery products
        if (!Mod.modOddInverseVar(N_INTS, s, w.sInv)) {
            return false;
        }
        montMul(w.sInv, R2_MOD_N, w.t, w.m);
        montMul(e, w.m, w.t, w.u1);
        montMul(r, w.m, w.t, w.u2);
        w.sumOfMultiples(keyTable, w.u1, w.u2);
        if (w.infinity) {
            return false;
        }
        // x/z^2 mod n == r, without an inversion: x == r·z^2, or x == (r+n)·z^2 when r+n < p
        SecP256R1Field.square(w.z, w.t1, w.tt);
        SecP256R1Field.multiply(r, w.t1, w.t2, w.tt);
        if (Nat256.eq(w.t2, w.x)) {
            return true;
        }
        if (!Nat256.gte(r, P_MINUS_N)) {
            Nat256.add(r, N_INTS, w.t3);
            SecP256R1Field.multiply(w.t3, w.t1, w.t2, w.tt);
            return Nat256.eq(w.t2, w.x);
        }
        return false;
    }

    /**
     * u1·G + u2·Q as an affine (x, y), or null for the point at infinity; for tests, which compare it
     * with another implementation.
     */
    static BigInteger[] sumOfMultiples(int[] keyTable, BigInteger u1, BigInteger u2) {
        Work w = new Work();
        w.sumOfMultiples(keyTable, Nat256.fromBigInteger(u1), Nat256.fromBigInteger(u2));
        if (w.infinity) {
            return null;
        }
        int[] zInv = Nat256.create();
        SecP256R1Field.inv(w.z, zInv);
        w.affine(w.x, w.y, zInv);
        return new BigInteger[] { Nat256.toBigInteger(w.t2), Nat256.toBigInteger(w.t3) };
    }

    /** Odd multiples 1, 3, ..., 2^(window-1)-1 of 2^(PART_BITS·i)·(x, y) for each part i, as affine points. */
    private static int[] table(int[] x, int[] y, int window, int parts) {
        int perPart = 1 << (window - 2);
        int count = parts * perPart;
        Work w = new Work();
        int[][] xs = new int[count][];
        int[][] ys = new int[count][];
        int[][] zs = new int[count][];
        int[] bx = x.clone();
        int[] by = y.clone();
        int[] bz = Nat256.create();
        bz[0] = 1;
        for (int part = 0; part < parts; part++) {
            if (part > 0) {
                w.set(bx, by, bz);
                for (int i = 0; i < PART_BITS; i++) {
                    w.twice();
                }
                bx = w.x.clone();
                by = w.y.clone();
                bz = w.z.clone();
            }
            w.set(bx, by, bz);
            w.twice();
            int[] dx = w.x.clone();
            int[] dy = w.y.clone();
            int[] dz = w.z.clone();
            w.set(bx, by, bz);
            for (int k = 0; k < perPart; k++) {
                if (k > 0) {
                    w.add(dx, dy, dz);
                }
                if (w.infinity) {
                    throw new IllegalArgumentException("not a point of prime order on P-256");
                }
                int at = part * perPart + k;
                xs[at] = w.x.clone();
                ys[at] = w.y.clone();
                zs[at] = w.z.clone();
            }
        }
        // one inversion for all points (Montgomery's trick), then x/z^2 and y/z^3
        int[][] prefix = new int[count][];
        prefix[0] = zs[0].clone();
        for (int i = 1; i < count; i++) {
            prefix[i] = Nat256.create();
            SecP256R1Field.multiply(prefix[i - 1], zs[i], prefix[i], w.tt);
        }
        int[] inverse = Nat256.create();
        // variable time is fine for public points, and faster than SecP256R1Field.inv's constant time
        Mod.modOddInverseVar(P_INTS, prefix[count - 1], inverse);
        int[] table = new int[count * POINT_INTS];
        for (int i = count - 1; i >= 0; i--) {
            int[] zInv = Nat256.create();
            if (i > 0) {
                SecP256R1Field.multiply(inverse, prefix[i - 1], zInv, w.tt);
                SecP256R1Field.multiply(inverse, zs[i], inverse, w.tt);
            } else {
                System.arraycopy(inverse, 0, zInv, 0, 8);
            }
            w.affine(xs[i], ys[i], zInv);
            System.arraycopy(w.t2, 0, table, i * POINT_INTS, 8);
            System.arraycopy(w.t3, 0, table, i * POINT_INTS + 8, 8);
        }
        return table;
    }

    /**
     * Width-w NAF of a scalar below 2^256: digits odd and below 2^(w-1) in magnitude, each followed
     * by at least w-1 zeros, at positions 0..256.
     */
    static void recode(int[] k, int window, byte[] naf) {
        java.util.Arrays.fill(naf, (byte) 0);
        int carry = 0;
        int bit = 0;
        while (bit < NAF_LENGTH - window) {
            if (bits(k, bit, 1) == carry) {
                bit++;
                continue;
            }
            int word = bits(k, bit, window) + carry;
            carry = (word >> (window - 1)) & 1;
            word -= carry << window;
            naf[bit] = (byte) word;
            bit += window;
        }
    }

    private static int bits(int[] k, int from, int count) {
        int index = from >>> 5;
        int shift = from & 31;
        if (index >= 8) {
            return 0;
        }
        long v = (k[index] & 0xFFFFFFFFL) >>> shift;
        if (index + 1 < 8) {
            v |= (k[index + 1] & 0xFFFFFFFFL) << (32 - shift);
        }
        return (int) (v & ((1L << count) - 1));
    }

    /** z = a·b·2^-256 mod n, for a, b below n (CIOS Montgomery multiplication; t: 10 words of scratch). */
    static void montMul(int[] a, int[] b, int[] t, int[] z) {
        final long mask = 0xFFFFFFFFL;
        java.util.Arrays.fill(t, 0);
        for (int i = 0; i < 8; i++) {
            long bi = b[i] & mask;
            long c = 0;
            for (int j = 0; j < 8; j++) {
                c += (t[j] & mask) + (a[j] & mask) * bi;
                t[j] = (int) c;
                c >>>= 32;
            }
            c += t[8] & mask;
            t[8] = (int) c;
            t[9] = (int) (c >>> 32);

            long m = (t[0] * N_PRIME) & mask;
            c = ((t[0] & mask) + m * (N_INTS[0] & mask)) >>> 32;
            for (int j = 1; j < 8; j++) {
                c += (t[j] & mask) + m * (N_INTS[j] & mask);
                t[j - 1] = (int) c;
                c >>>= 32;
            }
            c += t[8] & mask;
            t[7] = (int) c;
            t[8] = t[9] + (int) (c >>> 32);
        }
        System.arraycopy(t, 0, z, 0, 8);
        if (t[8] != 0 || Nat256.gte(z, N_INTS)) {
            Nat256.sub(z, N_INTS, z);
        }
    }

    private static void readBigEndian(byte[] bytes, int offset, int[] z) {
        for (int i = 0; i < 8; i++) {
            int at = offset + 28 - 4 * i;
            z[i] = (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
        }
    }

    /**
     * One thread's accumulator point (Jacobian x, y, z, or infinity) and scratch space, so that a
     * verification allocates nothing.
     */
    static final class Work {
        final int[] x = Nat256.create();
        final int[] y = Nat256.create();
        final int[] z = Nat256.create();
        boolean infinity;

        final int[] tt = Nat256.createExt();
        final int[] t = new int[10];
        final int[] t1 = Nat256.create();
        final int[] t2 = Nat256.create();
        final int[] t3 = Nat256.create();
        final int[] t4 = Nat256.create();
        final int[] t5 = Nat256.create();
        final int[] t6 = Nat256.create();
        final int[] ax = Nat256.create();
        final int[] ay = Nat256.create();
        final int[] r = Nat256.create();
        final int[] s = Nat256.create();
        final int[] e = Nat256.create();
        final int[] sInv = Nat256.create();
        final int[] m = Nat256.create();
        final int[] u1 = Nat256.create();
        final int[] u2 = Nat256.create();
        final byte[] nafG = new byte[NAF_LENGTH];
        final byte[] nafQ = new byte[NAF_LENGTH];

        /**
         * Sets this point to u1·G + u2·Q, for u1 and u2 below 2^256 and Q's split or small table (a
         * small one has a single part of 256 bits, and G's first part stands in for G's table).
         */
        void sumOfMultiples(int[] keyTable, int[] u1, int[] u2) {
            boolean split = keyTable.length == SPLIT_TABLE_INTS;
            if (!split && keyTable.length != SMALL_TABLE_INTS) {
                throw new IllegalArgumentException("not a key table");
            }
            int parts = split ? PARTS : 1;
            int partBits = split ? PART_BITS : 256;
            int qWindow = split ? Q_WINDOW : SMALL_Q_WINDOW;
            int qPoints = 1 << (qWindow - 2);
            recode(u1, G_WINDOW, nafG);
            recode(u2, qWindow, nafQ);
            infinity = true;
            for (int pos = partBits; pos >= 0; pos--) {
                twice();
                for (int part = pos == partBits ? parts - 1 : 0; part < parts; part++) {
                    int i = part * partBits + pos;
                    int dq = nafQ[i];
                    if (dq != 0) {
                        addAffine(keyTable, (part * qPoints + (Math.abs(dq) >> 1)) * POINT_INTS, dq < 0);
                    }
                    int dg = nafG[i];
                    if (dg != 0) {
                        addAffine(G_TABLE, (part * G_POINTS + (Math.abs(dg) >> 1)) * POINT_INTS, dg < 0);
                    }
                }
            }
        }

        void set(int[] px, int[] py, int[] pz) {
            System.arraycopy(px, 0, x, 0, 8);
            System.arraycopy(py, 0, y, 0, 8);
            System.arraycopy(pz, 0, z, 0, 8);
            infinity = Nat256.isZero(pz);
        }

        /** The affine form of the Jacobian (px, py) with 1/z = zInv: x/z^2 into t2, y/z^3 into t3 (t1: scratch). */
        void affine(int[] px, int[] py, int[] zInv) {
            SecP256R1Field.square(zInv, t1, tt);
            SecP256R1Field.multiply(px, t1, t2, tt);
            SecP256R1Field.multiply(t1, zInv, t1, tt);
            SecP256R1Field.multiply(py, t1, t3, tt);
        }

        /** Sets this point to the affine (px, py), which is not infinity. */
        private void setAffine(int[] px, int[] py) {
            System.arraycopy(px, 0, x, 0, 8);
            System.arraycopy(py, 0, y, 0, 8);
            Nat256.zero(z);
            z[0] = 1;
            infinity = false;
        }

        /** Doubling in Jacobian coordinates for a = -3 (dbl-2001-b): 3M + 5S. */
        void twice() {
            if (infinity) {
                return;
            }
            int[] delta = t1;
            int[] gamma = t2;
            int[] beta = t3;
            int[] alpha = t4;
            SecP256R1Field.square(z, delta, tt);
            SecP256R1Field.square(y, gamma, tt);
            SecP256R1Field.multiply(x, gamma, beta, tt);
            SecP256R1Field.subtract(x, delta, t5);
            SecP256R1Field.add(x, delta, t6);
            SecP256R1Field.multiply(t5, t6, alpha, tt);
            SecP256R1Field.twice(alpha, t5);
            SecP256R1Field.add(alpha, t5, alpha);
            SecP256R1Field.add(y, z, t5);
            SecP256R1Field.square(t5, t5, tt);
            SecP256R1Field.subtract(t5, gamma, t5);
            SecP256R1Field.subtract(t5, delta, z);
            SecP256R1Field.twice(beta, beta);
            SecP256R1Field.twice(beta, beta);
            SecP256R1Field.square(alpha, x, tt);
            SecP256R1Field.twice(beta, t5);
            SecP256R1Field.subtract(x, t5, x);
            SecP256R1Field.subtract(beta, x, t5);
            SecP256R1Field.multiply(alpha, t5, y, tt);
            SecP256R1Field.square(gamma, t6, tt);
            SecP256R1Field.twice(t6, t6);
            SecP256R1Field.twice(t6, t6);
            SecP256R1Field.twice(t6, t6);
            SecP256R1Field.subtract(y, t6, y);
            infinity = Nat256.isZero(z);
        }

        /** Adds the affine point at {@code table[at..at+16)}, negated when asked: 8M + 3S. */
        void addAffine(int[] table, int at, boolean negate) {
            System.arraycopy(table, at, ax, 0, 8);
            System.arraycopy(table, at + 8, ay, 0, 8);
            if (negate) {
                SecP256R1Field.negate(ay, ay);
            }
            if (infinity) {
                setAffine(ax, ay);
                return;
            }
            differences(ax, ay);
            finishAdd(t2, t3, ax, ay, null);
        }

        /** Adds the Jacobian point (px, py, pz), not infinity: 12M + 4S. Used to build tables. */
        void add(int[] px, int[] py, int[] pz) {
            if (infinity) {
                set(px, py, pz);
                return;
            }
            // bring this point to (x·pz^2, y·pz^3, z·pz) so the mixed-addition finish applies
            SecP256R1Field.square(pz, t1, tt);
            SecP256R1Field.multiply(x, t1, x, tt);
            SecP256R1Field.multiply(t1, pz, t1, tt);
            SecP256R1Field.multiply(y, t1, y, tt);
            differences(px, py);
            finishAdd(t2, t3, px, py, pz);
        }

        /** h = qx·z^2 - x into t2 and r = qy·z^3 - y into t3, where both additions start (t1, t4: scratch). */
        private void differences(int[] qx, int[] qy) {
            SecP256R1Field.square(z, t1, tt);
            SecP256R1Field.multiply(qx, t1, t2, tt);
            SecP256R1Field.subtract(t2, x, t2);
            SecP256R1Field.multiply(t1, z, t4, tt);
            SecP256R1Field.multiply(qy, t4, t3, tt);
            SecP256R1Field.subtract(t3, y, t3);
        }

        /**
         * With this point's x and y already scaled to the other point's z: h = u2 - x and r = s2 - y.
         * Doubles when the points are equal, gives infinity when they are opposite.
         */
        private void finishAdd(int[] h, int[] rr, int[] px, int[] py, int[] pz) {
            if (Nat256.isZero(h)) {
                if (Nat256.isZero(rr)) {
                    if (pz == null) {
                        setAffine(px, py);
                    } else {
                        set(px, py, pz);
                    }
                    twice();
                } else {
                    infinity = true;
                    Nat256.zero(z);
                }
                return;
            }
            int[] hh = t4;
            int[] hhh = t5;
            int[] v = t6;
            SecP256R1Field.square(h, hh, tt);
            SecP256R1Field.multiply(h, hh, hhh, tt);
            SecP256R1Field.multiply(x, hh, v, tt);
            SecP256R1Field.multiply(z, h, z, tt);
            if (pz != null) {
                SecP256R1Field.multiply(z, pz, z, tt);
            }
            SecP256R1Field.multiply(y, hhh, y, tt);
            SecP256R1Field.square(rr, x, tt);
            SecP256R1Field.subtract(x, hhh, x);
            SecP256R1Field.subtract(x, v, x);
            SecP256R1Field.subtract(x, v, x);
            SecP256R1Field.subtract(v, x, v);
            SecP256R1Field.multiply(rr, v, v, tt);
            SecP256R1Field.subtract(v, y, y);
        }
    }
}
