package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Keys;

class CredentialTest {

    static final KeyPair EC = Keys.ec();
    static final String PEM = Keys.pem(EC.getPublic());

    @Test
    void shouldParseOnceAndDropTheText() throws Exception {
        Credential credential = new Credential(PEM, KeyFormat.ES256_PEM, null);
        assertNotNull(credential.material());
        PublicKey first = credential.key();
        assertNull(credential.material());
        assertSame(first, credential.key());
        assertEquals(EC.getPublic(), first);
    }

    @Test
    void shouldKeepTheReasonForAKeyThatCannotBeUsed() {
        Credential credential = new Credential(PEM, KeyFormat.RSA_PEM, null);
        InvalidKeyException first = assertThrows(InvalidKeyException.class, credential::key);
        assertSame(first, assertThrows(InvalidKeyException.class, credential::key));
        assertNull(credential.material());
    }

    @Test
    void shouldGiveThreadsThatAskAtOnceTheSameKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                Credential credential = new Credential(PEM, KeyFormat.ES256_PEM, null);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<PublicKey>> keys = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    keys.add(pool.submit(() -> {
                        start.await();
                        return credential.key();
                    }));
                }
                start.countDown();
                for (Future<PublicKey> key : keys) {
                    assertEquals(EC.getPublic(), key.get(), "round " + round);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
