package io.github.dpsjwt.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.dpsjwt.registry.Credential;
import io.github.dpsjwt.registry.KeyFormat;
import io.github.dpsjwt.support.ConstantEngine;
import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;

class FastEs256AlgorithmTest {

    static final KeyPair EC = Keys.ec();
    static final BigInteger N = ((ECPublicKey) EC.getPublic()).getParams().getOrder();
    static final byte[] INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9".getBytes(StandardCharsets.US_ASCII);

    final FastEs256Algorithm fast = new FastEs256Algorithm();
    final EcdsaUsingShaAlgorithm jca = new EcdsaUsingShaAlgorithm.EcdsaP256UsingSha256();
    final Es256PublicKey prepared = new Es256PublicKey((ECPublicKey) EC.getPublic());

    @Test
    void shouldBeWhatJose4jUsesForEs256AndWhatTheRegistryHandsOut() throws Exception {
        FastEs256Algorithm.install();
        assertInstanceOf(FastEs256Algorithm.class, AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm("ES256"));
        assertInstanceOf(Es256PublicKey.class, new Credential(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM, null).key());
        assertInstanceOf(Es256PublicKey.class, new Credential(Keys.certificatePem(EC, false), KeyFormat.ES256_X509_PEM, null).key());
    }

    /** Every engine this build has: the builtin code, and ACCP (the JVM build here must load it). */
    static List<Es256Engine> engines() {
        return List.of(Es256Engines.builtin(), Es256Engines.accp().engine());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void shouldAgreeWithTheJcaPathOnGenuineAndHostileSignatures(Es256Engine engine) throws Exception {
        FastEs256Algorithm fast = new FastEs256Algorithm(engine);
        byte[] genuine = Jwts.signature(EC.getPrivate(), INPUT);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(genuine, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(genuine, 32, 64));
        List<byte[]> signatures = new ArrayList<>();
        signatures.add(genuine);
        signatures.add(raw(r, N.subtract(s)));          // the other valid s: ECDSA signatures are malleable
        signatures.add(new byte[64]);                   // r = s = 0
        signatures.add(raw(BigInteger.ZERO, s));
        signatures.add(raw(r, BigInteger.ZERO));
        signatures.add(raw(N, s));                      // r = n
        signatures.add(raw(r, N));                      // s = n
        signatures.add(raw(r.add(N).mod(BigInteger.ONE.shiftLeft(256)), s));
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xff);
        signatures.add(ones);
        signatures.add(Arrays.copyOf(genuine, 63));
        signatures.add(Arrays.copyOf(genuine, 65));
        signatures.add(new byte[0]);
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] flipped = genuine.clone();
            flipped[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            signatures.add(flipped);
        }
        int accepted = 0;
        for (byte[] signature : signatures) {
            boolean expected = jca.verifySignature(signature, EC.getPublic(), INPUT, new ProviderContext());
            boolean actual = fast.verifySignature(signature, prepared, INPUT, new ProviderContext());
            assertEquals(expected, actual, "disagreement on " + Jwts.b64(signature));
            accepted += actual ? 1 : 0;
        }
        assertEquals(2, accepted, engine.name());
        assertFalse(fast.verifySignature(genuine, prepared, "tampered".getBytes(StandardCharsets.US_ASCII), new ProviderContext()));
        assertFalse(fast.verifySignature(genuine, new Es256PublicKey((ECPublicKey) Keys.ec().getPublic()), INPUT, new ProviderContext()));
        assertTrue(fast.verifySignature(genuine, EC.getPublic(), INPUT, new ProviderContext()), "plain JDK keys still verify");
        assertFalse(fast.verifySignature(Arrays.copyOf(genuine, 2), EC.getPublic(), INPUT, new ProviderContext()),
                "a plain JDK key does not take jose4j's JCA path, which accepts signatures of other lengths");
    }

    @Test
    void shouldVerifyWithTheEngineInUse() throws Exception {
        byte[] genuine = Jwts.signature(EC.getPrivate(), INPUT);
        Es256Engine before = FastEs256Algorithm.inUse();
        ConstantEngine refusesAll = new ConstantEngine("refuses-all", false);
        try {
            FastEs256Algorithm.use(refusesAll);
            assertFalse(fast.verifySignature(genuine, prepared, INPUT, new ProviderContext()));
            assertEquals(1, refusesAll.calls());
            assertTrue(new FastEs256Algorithm(Es256Engines.builtin()).verifySignature(genuine, prepared, INPUT, new ProviderContext()),
                    "an algorithm bound to an engine keeps it");
        } finally {
            FastEs256Algorithm.use(before);
        }
    }

    @Test
    void shouldAnswerWithTheBuiltinCodeWhenAnEngineThrows() throws Exception {
        byte[] genuine = Jwts.signature(EC.getPrivate(), INPUT);
        byte[] forged = genuine.clone();
        forged[10] ^= 1;
        Es256Engine throwing = new Es256Engine() {
            @Override
            public String name() {
                return "throws";
            }

            @Override
            public boolean verify(Es256PublicKey key, byte[] signedInput, byte[] signature) {
                throw new IllegalStateException("Key has been destroyed");
            }
        };
        Es256Engine before = FastEs256Algorithm.inUse();
        try {
            FastEs256Algorithm.use(throwing);
            assertTrue(fast.verifySignature(genuine, prepared, INPUT, new ProviderContext()));
            assertFalse(fast.verifySignature(forged, prepared, INPUT, new ProviderContext()));
        } finally {
            FastEs256Algorithm.use(before);
        }
        // bound to the engine, as the vector checks are: the fault shows instead of being answered for
        FastEs256Algorithm bound = new FastEs256Algorithm(throwing);
        assertThrows(IllegalStateException.class, () -> bound.verifySignature(genuine, prepared, INPUT, new ProviderContext()));
    }

    private static byte[] raw(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        int rl = Math.min(rb.length, 32);
        int sl = Math.min(sb.length, 32);
        System.arraycopy(rb, rb.length - rl, out, 32 - rl, rl);
        System.arraycopy(sb, sb.length - sl, out, 64 - sl, sl);
        return out;
    }
}
