package io.github.dpsjwt.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;

/** ACCP's engine keeps the provider's form of a key for keys used again, and never for another key. */
class JcaEs256EngineTest {

    static final byte[] INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJpYXQiOjF9".getBytes(StandardCharsets.US_ASCII);

    /** An engine of its own, so that what other tests kept does not count here. */
    final JcaEs256Engine accp = engine();

    static JcaEs256Engine engine() {
        try {
            Es256Engines.accp();
            return new JcaEs256Engine("accp", (Provider) Class.forName(Es256Engines.ACCP_PROVIDER).getField("INSTANCE").get(null));
        } catch (ReflectiveOperationException | java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void defaultCapacity() {
        Es256PublicKey.setWarmCapacity(10_000);
    }

    @Test
    void shouldKeepTheProviderKeyOfAKeyUsedAgain() throws Exception {
        Es256PublicKey.setWarmCapacity(1_000);
        KeyPair a = Keys.ec();
        KeyPair b = Keys.ec();
        Es256PublicKey keyA = new Es256PublicKey((ECPublicKey) a.getPublic());
        Es256PublicKey keyB = new Es256PublicKey((ECPublicKey) b.getPublic());
        assertTrue(accp.verify(keyA, INPUT, Jwts.signature(a.getPrivate(), INPUT)));
        assertTrue(accp.verify(keyA, INPUT, Jwts.signature(a.getPrivate(), INPUT)));
        assertEquals(1, accp.keptKeys());
        assertTrue(accp.verify(keyB, INPUT, Jwts.signature(b.getPrivate(), INPUT)));
        assertEquals(Math.floorMod(keyA.hashCode(), 1_000) == Math.floorMod(keyB.hashCode(), 1_000) ? 1 : 2, accp.keptKeys());
    }

    @Test
    void shouldVerifyWithKeptKeysWhileTheSignatureMovesBetweenKeys() throws Exception {
        // keys in turn, each kept in its own slot, as a fleet comes back: ACCP destroyed the keys it translated
        // itself once the Signature moved on, so a kept key must be one it made for keeping
        Es256PublicKey.setWarmCapacity(1_000);
        KeyPair[] pairs = new KeyPair[20];
        Es256PublicKey[] keys = new Es256PublicKey[pairs.length];
        byte[][] signatures = new byte[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = Keys.ec();
            keys[i] = new Es256PublicKey((ECPublicKey) pairs[i].getPublic());
            signatures[i] = Jwts.signature(pairs[i].getPrivate(), INPUT);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < keys.length; i++) {
                assertTrue(accp.verify(keys[i], INPUT, signatures[i]), "round " + round + ", key " + i);
                assertFalse(accp.verify(keys[i], INPUT, signatures[(i + 1) % keys.length]));
            }
        }
    }

    @Test
    void shouldNeverVerifyWithTheKeptKeyOfAnotherKey() throws Exception {
        // one slot: every key takes it from the one before
        Es256PublicKey.setWarmCapacity(1);
        KeyPair a = Keys.ec();
        KeyPair b = Keys.ec();
        Es256PublicKey keyA = new Es256PublicKey((ECPublicKey) a.getPublic());
        Es256PublicKey keyB = new Es256PublicKey((ECPublicKey) b.getPublic());
        byte[] byA = Jwts.signature(a.getPrivate(), INPUT);
        byte[] byB = Jwts.signature(b.getPrivate(), INPUT);
        for (int round = 0; round < 3; round++) {
            assertTrue(accp.verify(keyA, INPUT, byA));
            assertFalse(accp.verify(keyB, INPUT, byA), "A's signature under B's key, right after A's key was kept");
            assertTrue(accp.verify(keyB, INPUT, byB));
            assertFalse(accp.verify(keyA, INPUT, byB));
            // an equal key that is another object does not take the kept one either: it is made again
            Es256PublicKey sameAsA = new Es256PublicKey((ECPublicKey) a.getPublic());
            assertTrue(accp.verify(sameAsA, INPUT, byA));
        }
        assertEquals(1, accp.keptKeys());
    }

    @Test
    void shouldKeepNothingWithNoWarmKeys() throws Exception {
        Es256PublicKey.setWarmCapacity(0);
        KeyPair a = Keys.ec();
        Es256PublicKey keyA = new Es256PublicKey((ECPublicKey) a.getPublic());
        byte[] byA = Jwts.signature(a.getPrivate(), INPUT);
        assertTrue(accp.verify(keyA, INPUT, byA));
        assertTrue(accp.verify(keyA, INPUT, byA));
        assertEquals(0, accp.keptKeys());
    }
}
