package io.github.dpsjwt.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat256;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;

/** Checks this project's P-256 code against BouncyCastle's and the JDK's, edge cases included. */
class P256Test {

    static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN());
    static final BigInteger N = CURVE.getN();
    static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();
    static final Random RANDOM = new Random(20261129);

    static BigInteger random() {
        return new BigInteger(256, RANDOM).mod(N);
    }

    static int[] table(ECPoint q) {
        ECPoint a = q.normalize();
        return P256.table(a.getAffineXCoord().toBigInteger(), a.getAffineYCoord().toBigInteger());
    }

    /** Both kinds of key table: the split one kept for warm keys, and the small one for a single use. */
    static List<int[]> tables(ECPoint q) {
        ECPoint a = q.normalize();
        return List.of(table(q), P256.smallTable(a.getAffineXCoord().toBigInteger(), a.getAffineYCoord().toBigInteger()));
    }

    static void assertSameSum(ECPoint q, int[] table, BigInteger u1, BigInteger u2) {
        ECPoint expected = CURVE.getG().multiply(u1).add(q.multiply(u2)).normalize();
        BigInteger[] actual = P256.sumOfMultiples(table, u1, u2);
        String what = "u1=" + u1.toString(16) + " u2=" + u2.toString(16);
        if (expected.isInfinity()) {
            assertNull(actual, what);
        } else {
            assertArrayEquals(new BigInteger[] { expected.getAffineXCoord().toBigInteger(),
                    expected.getAffineYCoord().toBigInteger() }, actual, what);
        }
    }

    static boolean bouncyCastle(ECPoint q, byte[] digest, byte[] signature) {
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, new ECPublicKeyParameters(q, DOMAIN));
        return signer.verifySignature(digest, new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64)));
    }

    static byte[] bytes32(BigInteger value) {
        byte[] out = new byte[32];
        byte[] raw = value.toByteArray();
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, out, 32 - length, length);
        return out;
    }

    static byte[] signature(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        System.arraycopy(bytes32(r), 0, out, 0, 32);
        System.arraycopy(bytes32(s), 0, out, 32, 32);
        return out;
    }

    @Test
    void shouldComputeTheSameMultiplesAsBouncyCastle() {
        BigInteger d = random();
        ECPoint q = CURVE.getG().multiply(d);
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO), BigInteger.ONE.shiftLeft(64),
                BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(192), BigInteger.ONE.shiftLeft(255),
                BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(255).subtract(BigInteger.ONE),
                new BigInteger("FFFFFFFFFFFFFFFF0000000000000000FFFFFFFFFFFFFFFF0000000000000000", 16).mod(N)));
        for (int k = 1; k < 16; k++) {
            // where one 16-bit part of the scalar ends and the next begins
            scalars.add(BigInteger.ONE.shiftLeft(16 * k));
            scalars.add(BigInteger.ONE.shiftLeft(16 * k).subtract(BigInteger.ONE));
        }
        for (int[] table : tables(q)) {
            for (BigInteger u1 : scalars) {
                for (BigInteger u2 : scalars) {
                    assertSameSum(q, table, u1, u2);
                }
            }
            for (int i = 0; i < 300; i++) {
                assertSameSum(q, table, random(), random());
            }
        }
    }

    @Test
    void shouldHandleSumsThatDoubleOrCancel() {
        // with Q = d·G the two tables overlap, and chosen scalars make the additions hit equal and
        // opposite points: doubling, infinity, and carrying on from infinity
        BigInteger d = random();
        ECPoint q = CURVE.getG().multiply(d);
        for (int[] table : tables(q)) {
            assertSameSum(q, table, N.subtract(d), BigInteger.ONE);
            assertSameSum(q, table, d, BigInteger.ONE);
            BigInteger k = random();
            assertSameSum(q, table, d.multiply(k).mod(N), N.subtract(k));
            assertNull(P256.sumOfMultiples(table, N.subtract(d), BigInteger.ONE));
        }
        for (int[] gTable : tables(CURVE.getG())) {
            for (int i = 0; i < 200; i++) {
                BigInteger u = i < 100 ? BigInteger.valueOf(i) : random();
                assertSameSum(CURVE.getG(), gTable, u, u);
                assertSameSum(CURVE.getG(), gTable, u, N.subtract(u).mod(N));
                assertSameSum(CURVE.getG(), gTable, u, u.add(BigInteger.ONE).mod(N));
            }
        }
    }

    @Test
    void shouldAcceptEveryJdkSignatureAndRefuseWhatBouncyCastleRefuses() throws Exception {
        for (int i = 0; i < 60; i++) {
            KeyPair pair = Keys.ec();
            ECPublicKey key = (ECPublicKey) pair.getPublic();
            ECPoint q = CURVE.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY());
            byte[] input = ("message " + i).getBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input);
            byte[] signature = Jwts.signature(pair.getPrivate(), input);
            byte[] other = digest.clone();
            other[RANDOM.nextInt(32)] ^= (byte) (1 << RANDOM.nextInt(8));
            byte[] tampered = signature.clone();
            tampered[RANDOM.nextInt(64)] ^= (byte) (1 << RANDOM.nextInt(8));
            for (int[] table : tables(q)) {
                assertTrue(P256.verify(table, digest, signature));
                assertFalse(P256.verify(table, other, signature));
                assertEquals(bouncyCastle(q, digest, tampered), P256.verify(table, digest, tampered));
            }
            for (int[] table : tables(CURVE.getG())) {
                assertFalse(P256.verify(table, digest, signature), "another key");
            }
        }
    }

    @Test
    void shouldRefuseScalarsOutOfRangeAndMisshapenInput() throws Exception {
        KeyPair pair = Keys.ec();
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        for (int[] table : List.of(P256.table(key.getW().getAffineX(), key.getW().getAffineY()),
                P256.smallTable(key.getW().getAffineX(), key.getW().getAffineY()))) {
            assertRefusesOutOfRange(pair, table);
        }
        assertThrows(IllegalArgumentException.class, () -> P256.verify(new int[64], new byte[32], signature(BigInteger.ONE, BigInteger.ONE)),
                "an array of another size is no key table");
    }

    static void assertRefusesOutOfRange(KeyPair pair, int[] table) throws Exception {
        byte[] input = "x".getBytes();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(input);
        byte[] good = Jwts.signature(pair.getPrivate(), input);
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(good, 0, 32));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(good, 32, 64));
        assertTrue(P256.verify(table, digest, signature(r, s)));
        // s and n - s are both valid (ECDSA malleability, as everywhere); r + n and s + n are not
        assertTrue(P256.verify(table, digest, signature(r, N.subtract(s))));
        for (BigInteger bad : List.of(BigInteger.ZERO, N, N.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))) {
            assertFalse(P256.verify(table, digest, signature(bad, s)), "r=" + bad.toString(16));
            assertFalse(P256.verify(table, digest, signature(r, bad)), "s=" + bad.toString(16));
        }
        if (r.add(N).bitLength() <= 256) {
            assertFalse(P256.verify(table, digest, signature(r.add(N), s)));
        }
        assertFalse(P256.verify(table, digest, java.util.Arrays.copyOf(good, 63)));
        assertFalse(P256.verify(table, java.util.Arrays.copyOf(digest, 31), good));
    }

    @Test
    void shouldMatchAnXCoordinateAboveTheGroupOrder() {
        // a point whose x lies in [n, p): its signature's r is x - n. With a zero digest u1 = 0, and with
        // s = r, u2 = 1, so R = Q; this reaches the "r + n" comparison no random signature ever does.
        BigInteger x = N;
        ECPoint q = null;
        while (q == null) {
            BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(CURVE.getCurve().getB().toBigInteger()).mod(P);
            BigInteger y = right.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
            if (y.multiply(y).mod(P).equals(right)) {
                q = CURVE.getCurve().createPoint(x, y);
            } else {
                x = x.add(BigInteger.ONE);
            }
        }
        BigInteger r = x.subtract(N);
        byte[] zero = new byte[32];
        assertTrue(bouncyCastle(q, zero, signature(r, r)), "the reference agrees the signature is valid");
        for (int[] table : tables(q)) {
            assertTrue(P256.verify(table, zero, signature(r, r)));
            assertFalse(P256.verify(table, zero, signature(r.add(BigInteger.ONE), r.add(BigInteger.ONE))));
        }
    }

    @Test
    void shouldRecodeScalarsIntoBoundedOddDigits() {
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, N.subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(255)));
        for (int i = 0; i < 200; i++) {
            scalars.add(new BigInteger(256, RANDOM));
        }
        for (int window : new int[] { 4, 5, 8 }) {
            for (BigInteger k : scalars) {
                byte[] naf = new byte[265];
                P256.recode(Nat256.fromBigInteger(k), window, naf);
                BigInteger sum = BigInteger.ZERO;
                int last = -window;
                for (int i = 0; i < naf.length; i++) {
                    if (naf[i] != 0) {
                        assertTrue(i <= 256, "digit beyond position 256");
                        assertTrue((naf[i] & 1) != 0 && Math.abs(naf[i]) < (1 << (window - 1)), "digit " + naf[i]);
                        assertTrue(i - last >= window, "digits closer than the window");
                        last = i;
                        sum = sum.add(BigInteger.valueOf(naf[i]).shiftLeft(i));
                    }
                }
                assertEquals(k, sum);
            }
        }
    }

    @Test
    void shouldMultiplyModuloTheGroupOrder() {
        BigInteger rInverse = BigInteger.ONE.shiftLeft(256).modInverse(N);
        int[] t = new int[10];
        int[] z = new int[8];
        for (int i = 0; i < 500; i++) {
            BigInteger a = i == 0 ? N.subtract(BigInteger.ONE) : random();
            BigInteger b = i == 0 ? N.subtract(BigInteger.ONE) : random();
            P256.montMul(Nat256.fromBigInteger(a), Nat256.fromBigInteger(b), t, z);
            assertEquals(a.multiply(b).multiply(rInverse).mod(N), Nat256.toBigInteger(z));
        }
    }

    @Test
    void shouldOnlyTakePointsOfTheCurve() {
        KeyPair pair = Keys.ec();
        java.security.spec.ECPoint w = ((ECPublicKey) pair.getPublic()).getW();
        assertTrue(P256.isValidPoint(w.getAffineX(), w.getAffineY()));
        assertFalse(P256.isValidPoint(w.getAffineX(), w.getAffineY().add(BigInteger.ONE)));
        assertFalse(P256.isValidPoint(w.getAffineX().add(P), w.getAffineY()));
        assertFalse(P256.isValidPoint(w.getAffineX(), P.subtract(w.getAffineY()).add(P)));
        assertFalse(P256.isValidPoint(BigInteger.ZERO, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new Es256PublicKey(new TamperedKey((ECPublicKey) pair.getPublic())));
    }

    /** A key whose point is moved off the curve. */
    record TamperedKey(ECPublicKey key) implements ECPublicKey {
        @Override
        public java.security.spec.ECPoint getW() {
            return new java.security.spec.ECPoint(key.getW().getAffineX(), key.getW().getAffineY().add(BigInteger.ONE));
        }

        @Override
        public java.security.spec.ECParameterSpec getParams() {
            return key.getParams();
        }

        @Override
        public String getAlgorithm() {
            return "EC";
        }

        @Override
        public String getFormat() {
            return key.getFormat();
        }

        @Override
        public byte[] getEncoded() {
            return key.getEncoded();
        }
    }
}
