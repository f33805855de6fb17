package io.github.dpsjwt.signature;

import static io.github.dpsjwt.signature.P256Test.CURVE;
import static io.github.dpsjwt.signature.P256Test.N;
import static io.github.dpsjwt.signature.P256Test.bouncyCastle;
import static io.github.dpsjwt.signature.P256Test.bytes32;
import static io.github.dpsjwt.signature.P256Test.signature;
import static io.github.dpsjwt.signature.P256Test.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * The webhook's P-256 verification against BouncyCastle's stock {@link ECDSASigner} on the same inputs, with both
 * table layouts: random keys and keys next to G and -G, genuine signatures and mutations of them, random bytes, and
 * signatures crafted so that u1*G + u2*Q is the point at infinity, Q, -Q, or a doubling (u1*G = u2*Q).
 */
class BouncyCastleDifferentialTest {

    static final Random RANDOM = new Random(20261202);

    static BigInteger scalar() {
        BigInteger value;
        do {
            value = new BigInteger(256, RANDOM).mod(N);
        } while (value.signum() == 0);
        return value;
    }

    /** Both answers for one key, digest and signature, and the count of those that verified. */
    static int compare(BigInteger d, byte[] digest, byte[] signature, List<String> disagreements) {
        ECPoint q = CURVE.getG().multiply(d).normalize();
        boolean expected = bouncyCastle(q, digest, signature);
        for (int[] table : tables(q)) {
            boolean actual = P256.verify(table, digest, signature);
            if (actual != expected) {
                disagreements.add("d=" + d.toString(16) + " e=" + new BigInteger(1, digest).toString(16) + " sig="
                        + new BigInteger(1, signature).toString(16) + ": BouncyCastle " + expected + ", ours " + actual);
            }
        }
        return expected ? 1 : 0;
    }

    static byte[] sign(BigInteger d, byte[] digest) {
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(d, P256Test.DOMAIN), new SecureRandom()));
        BigInteger[] rs = signer.generateSignature(digest);
        return signature(rs[0], rs[1]);
    }

    @Test
    void shouldAgreeOnGenuineMutatedAndRandomSignatures() {
        List<BigInteger> keys = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            keys.add(BigInteger.valueOf(i));                 // G, 2G, 3G
            keys.add(N.subtract(BigInteger.valueOf(i)));     // -G, -2G, -3G
        }
        for (int i = 0; i < 24; i++) {
            keys.add(scalar());
        }
        List<String> disagreements = new ArrayList<>();
        int verified = 0;
        int compared = 0;
        for (BigInteger d : keys) {
            for (int m = 0; m < 4; m++) {
                byte[] digest = bytes32(new BigInteger(256, RANDOM));
                byte[] genuine = sign(d, digest);
                BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(genuine, 0, 32));
                BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(genuine, 32, 64));
                List<byte[]> candidates = new ArrayList<>(List.of(genuine, signature(r, N.subtract(s)), signature(s, r),
                        signature(r.add(N).mod(BigInteger.ONE.shiftLeft(256)), s), signature(r, s.add(N).mod(BigInteger.ONE.shiftLeft(256))),
                        signature(r, BigInteger.ONE), signature(BigInteger.ONE, s), signature(N.subtract(BigInteger.ONE), s)));
                for (int i = 0; i < 12; i++) {
                    byte[] flipped = genuine.clone();
                    flipped[RANDOM.nextInt(64)] ^= (byte) (1 << RANDOM.nextInt(8));
                    candidates.add(flipped);
                }
                byte[] noise = new byte[64];
                RANDOM.nextBytes(noise);
                candidates.add(noise);
                for (byte[] candidate : candidates) {
                    verified += compare(d, digest, candidate, disagreements);
                    compared++;
                }
                byte[] otherDigest = digest.clone();
                otherDigest[RANDOM.nextInt(32)] ^= 1;
                verified += compare(d, otherDigest, genuine, disagreements);
                compared++;
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(verified >= 2 * keys.size() * 4, "the genuine signature and its malleable twin verify: " + verified + " of " + compared);
    }

    @Test
    void shouldAgreeWhereTheSumIsInfinityQMinusQOrADoubling() {
        List<String> disagreements = new ArrayList<>();
        int verified = 0;
        for (int i = 0; i < 100; i++) {
            BigInteger e = scalar();
            byte[] digest = bytes32(e);
            BigInteger r = scalar();
            // infinity: e + r*d = 0 (mod n) makes u1*G + u2*Q = (e + r*d)/s * G the point at infinity, for any s
            BigInteger dInfinity = e.negate().multiply(r.modInverse(N)).mod(N);
            verified += compare(dInfinity, digest, signature(r, scalar()), disagreements);

            // R = Q and R = -Q: with r = x(Q) mod n and s = +-(e + r*d)/d, the sum is +-Q, and both verify
            BigInteger d = scalar();
            ECPoint q = CURVE.getG().multiply(d).normalize();
            BigInteger rq = q.getAffineXCoord().toBigInteger().mod(N);
            BigInteger sq = e.add(rq.multiply(d)).multiply(d.modInverse(N)).mod(N);
            if (sq.signum() != 0) {
                verified += compare(d, digest, signature(rq, sq), disagreements);
                verified += compare(d, digest, signature(rq, N.subtract(sq)), disagreements);
            }
            // a doubling: e = r*d makes u1*G = u2*Q
            BigInteger rd = scalar();
            byte[] doubling = bytes32(rd.multiply(d).mod(N));
            compare(d, doubling, signature(rd, scalar()), disagreements);
        }
        assertEquals(List.of(), disagreements);
        assertTrue(verified >= 150, "the +-Q signatures verify: " + verified);
    }
}
