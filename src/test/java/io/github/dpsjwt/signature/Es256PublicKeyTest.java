package io.github.dpsjwt.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Jwts;
import io.github.dpsjwt.support.Keys;

class Es256PublicKeyTest {

    static final byte[] INPUT = "signed".getBytes();

    @AfterEach
    void restoreDefault() {
        Es256PublicKey.setWarmCapacity(10_000);
    }

    static boolean verify(Es256PublicKey key, byte[] signature) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(INPUT);
        return key.verify(digest, signature);
    }

    /** One key per pair: pairs[i] signs for keys[i]. */
    static Es256PublicKey[] keys(KeyPair[] pairs) {
        Es256PublicKey[] keys = new Es256PublicKey[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            keys[i] = new Es256PublicKey((ECPublicKey) pairs[i].getPublic());
        }
        return keys;
    }

    static KeyPair[] pairs(int count) {
        KeyPair[] pairs = new KeyPair[count];
        for (int i = 0; i < count; i++) {
            pairs[i] = Keys.ec();
        }
        return pairs;
    }

    /** Uses the key with a good and with a foreign signature, checking both answers. */
    static void use(Es256PublicKey key, KeyPair own, KeyPair stranger) throws Exception {
        assertTrue(verify(key, Jwts.signature(own.getPrivate(), INPUT)));
        assertFalse(verify(key, Jwts.signature(stranger.getPrivate(), INPUT)));
    }

    @Test
    void shouldGiveAKeyItsTableOnItsSecondUseWhileThereIsRoom() throws Exception {
        Es256PublicKey.setWarmCapacity(2);
        KeyPair[] pairs = pairs(3);
        Es256PublicKey[] keys = keys(pairs);
        for (int i = 0; i < 2; i++) {
            assertTrue(verify(keys[i], Jwts.signature(pairs[i].getPrivate(), INPUT)));
            assertFalse(keys[i].isWarm(), "a key used once gets no table");
            assertTrue(verify(keys[i], Jwts.signature(pairs[i].getPrivate(), INPUT)));
            assertTrue(keys[i].isWarm(), "a key used again gets one");
        }
        assertFalse(verify(keys[0], Jwts.signature(pairs[2].getPrivate(), INPUT)), "a warm key refuses a foreign signature");
        assertTrue(keys[0].isWarm() && keys[1].isWarm());
    }

    @Test
    void shouldKeepTablesWhenMoreKeysThanSlotsComeBackInTurn() throws Exception {
        // devices re-registering in turn, more of them than slots: the most recent keys would each push
        // out a table just before its key's next use, so that every verification also built a table
        Es256PublicKey.setWarmCapacity(2);
        KeyPair[] pairs = pairs(5);
        Es256PublicKey[] keys = keys(pairs);
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 5; i++) {
                use(keys[i], pairs[i], pairs[(i + 1) % 5]);
            }
        }
        assertTrue(keys[0].isWarm() && keys[1].isWarm(), "the keys that got the slots keep them");
        for (int i = 2; i < 5; i++) {
            assertFalse(keys[i].isWarm(), "key " + i + " verifies without a table");
        }
    }

    @Test
    void shouldLetAKeyUsedMoreOftenTakeTheTableOfOneUsedLess() throws Exception {
        Es256PublicKey.setWarmCapacity(1);
        KeyPair[] pairs = pairs(2);
        Es256PublicKey[] keys = keys(pairs);
        use(keys[0], pairs[0], pairs[1]);
        use(keys[0], pairs[0], pairs[1]);
        assertTrue(keys[0].isWarm());
        // key 1's count before a use must exceed key 0's (4: two uses of two verifications each)
        for (int n = 0; n < 2; n++) {
            use(keys[1], pairs[1], pairs[0]);
            assertFalse(keys[1].isWarm(), "after " + (2 * n + 2) + " verifications");
        }
        assertTrue(verify(keys[1], Jwts.signature(pairs[1].getPrivate(), INPUT)));
        assertFalse(keys[1].isWarm(), "5th verification: 4 recent uses, not more than key 0's");
        assertTrue(verify(keys[1], Jwts.signature(pairs[1].getPrivate(), INPUT)));
        assertTrue(keys[1].isWarm(), "6th verification: 5 recent uses, more than key 0's 4");
        assertFalse(keys[0].isWarm(), "key 0 gave its table up");
        use(keys[0], pairs[0], pairs[1]);
        use(keys[1], pairs[1], pairs[0]);
    }

    @Test
    void shouldForgetOldUsesSoThatAKeyBusyNowGetsATable() throws Exception {
        Es256PublicKey.setWarmCapacity(1);
        KeyPair[] pairs = pairs(2);
        Es256PublicKey[] keys = keys(pairs);
        byte[] first = Jwts.signature(pairs[0].getPrivate(), INPUT);
        byte[] second = Jwts.signature(pairs[1].getPrivate(), INPUT);
        for (int n = 0; n < 40; n++) {
            assertTrue(verify(keys[0], first));
        }
        assertTrue(keys[0].isWarm());
        // both counts stop at the same maximum: only the halving of old counts lets key 1 in
        int uses = 0;
        while (!keys[1].isWarm() && uses < 200) {
            assertTrue(verify(keys[1], second));
            uses++;
        }
        assertTrue(keys[1].isWarm(), "key 1 still has no table after " + uses + " uses");
        assertTrue(uses > Es256PublicKey.WarmKeys.MAX_USES, "key 1 got a table after " + uses + " uses");
        assertTrue(uses <= Es256PublicKey.WarmKeys.MIN_GENERATION + 2, "key 1 got a table only after " + uses + " uses");
        assertFalse(keys[0].isWarm());
        assertTrue(verify(keys[0], first));
    }

    @Test
    void shouldVerifyCorrectlyFromManyThreadsAndKeepNoMoreTablesThanSlots() throws Exception {
        Es256PublicKey.setWarmCapacity(3);
        int count = 12;
        KeyPair[] pairs = new KeyPair[count];
        Es256PublicKey[] keys = new Es256PublicKey[count];
        byte[][] good = new byte[count][];
        for (int i = 0; i < count; i++) {
            pairs[i] = Keys.ec();
            keys[i] = new Es256PublicKey((ECPublicKey) pairs[i].getPublic());
            good[i] = Jwts.signature(pairs[i].getPrivate(), INPUT);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(INPUT);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    int wrong = 0;
                    for (int n = 0; n < 600; n++) {
                        int i = random.nextInt(count);
                        // the signature of the key itself, or of the next key: valid only for its own
                        int signer = random.nextBoolean() ? i : (i + 1) % count;
                        if (keys[i].verify(digest, good[signer]) != (signer == i)) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(0, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        int warm = 0;
        for (Es256PublicKey key : keys) {
            warm += key.isWarm() ? 1 : 0;
        }
        assertTrue(warm <= 3, warm + " keys hold tables, with 3 slots");
        assertTrue(warm > 0);
    }

    @Test
    void shouldRefuseWithAndWithoutATable() throws Exception {
        KeyPair pair = Keys.ec();
        KeyPair stranger = Keys.ec();
        ECPublicKey jdkKey = (ECPublicKey) pair.getPublic();
        // first uses, with the small table
        assertTrue(verify(new Es256PublicKey(jdkKey), Jwts.signature(pair.getPrivate(), INPUT)));
        assertFalse(verify(new Es256PublicKey(jdkKey), Jwts.signature(stranger.getPrivate(), INPUT)));
        // a second use builds the table, a third uses it
        Es256PublicKey key = new Es256PublicKey(jdkKey);
        assertTrue(verify(key, Jwts.signature(pair.getPrivate(), INPUT)));
        for (int use = 2; use <= 3; use++) {
            assertFalse(verify(key, Jwts.signature(stranger.getPrivate(), INPUT)), "use " + use);
            assertTrue(verify(key, Jwts.signature(pair.getPrivate(), INPUT)), "use " + use);
            assertTrue(key.isWarm());
        }
    }

    @Test
    void shouldVerifyWithNoWarmKeysAtAll() throws Exception {
        Es256PublicKey.setWarmCapacity(0);
        KeyPair pair = Keys.ec();
        Es256PublicKey key = new Es256PublicKey((ECPublicKey) pair.getPublic());
        for (int i = 0; i < 6; i++) {
            assertTrue(verify(key, Jwts.signature(pair.getPrivate(), INPUT)));
        }
        assertFalse(key.isWarm());
        assertThrows(IllegalArgumentException.class, () -> Es256PublicKey.setWarmCapacity(-1));
    }

    @Test
    void shouldStandInForTheJdkKeyItWasMadeFrom() throws Exception {
        ECPublicKey jdkKey = (ECPublicKey) Keys.ec().getPublic();
        Es256PublicKey key = new Es256PublicKey(jdkKey);
        assertEquals(jdkKey.getW(), key.getW());
        assertEquals(jdkKey.getParams(), key.getParams());
        assertEquals(jdkKey.getAlgorithm(), key.getAlgorithm());
        assertEquals(jdkKey.getFormat(), key.getFormat());
        assertArrayEquals(jdkKey.getEncoded(), key.getEncoded());
        key.getEncoded()[0] ^= 1;
        assertArrayEquals(jdkKey.getEncoded(), key.getEncoded(), "a copy each time");
        assertEquals(jdkKey, key);
        assertEquals(key, jdkKey);
        assertEquals(key, new Es256PublicKey(jdkKey));
        assertEquals(jdkKey.hashCode(), key.hashCode());
        assertEquals(Set.of(jdkKey), Set.of(key));
        ECPublicKey other = (ECPublicKey) Keys.ec().getPublic();
        assertNotEquals(key, other);
        assertNotEquals(key, new Es256PublicKey(other));
        assertNotEquals(key, Keys.rsa().getPublic());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(key);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(jdkKey, in.readObject(), "serialized as the JDK key");
        }
    }
}
