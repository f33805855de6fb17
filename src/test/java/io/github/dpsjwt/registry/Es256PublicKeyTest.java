package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

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
        return key.verify(digest, new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
                new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
    }

    @Test
    void shouldKeepTablesOnlyForTheMostRecentlyUsedKeys() throws Exception {
        Es256PublicKey.setWarmCapacity(2);
        KeyPair[] pairs = { Keys.ec(), Keys.ec(), Keys.ec() };
        Es256PublicKey[] keys = new Es256PublicKey[3];
        for (int i = 0; i < 3; i++) {
            keys[i] = new Es256PublicKey((ECPublicKey) pairs[i].getPublic());
            assertTrue(verify(keys[i], Jwts.signature(pairs[i].getPrivate(), INPUT)));
        }
        assertFalse(keys[0].isWarm(), "the oldest key must have cooled");
        assertTrue(keys[1].isWarm() && keys[2].isWarm());
        // a cooled key still verifies, and refuses, correctly
        assertTrue(verify(keys[0], Jwts.signature(pairs[0].getPrivate(), INPUT)));
        assertFalse(verify(keys[0], Jwts.signature(pairs[1].getPrivate(), INPUT)));
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
}
