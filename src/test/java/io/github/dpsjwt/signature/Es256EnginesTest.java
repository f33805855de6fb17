package io.github.dpsjwt.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.Random;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.ConstantEngine;

class Es256EnginesTest {

    @Test
    void shouldLoadAccpInTheJvmBuild() {
        Es256Engines.Loaded accp = Es256Engines.accp();
        assertEquals("accp", accp.engine().name());
        assertTrue(accp.description().matches("Amazon Corretto Crypto Provider 2\\.5\\.0, AWS-LC v[0-9.]+"), accp.description());
    }

    @Test
    void shouldLoadAccpOnceWhateverAsksFirst() {
        Es256Engines.preload();
        Es256Engines.Loaded first = Es256Engines.accp();
        Es256Engines.preload();
        assertSame(first, Es256Engines.accp(), "one loading, kept");
        assertTrue(first.millis() >= 0);
    }

    @Test
    void shouldPassTheKnownAnswerCheckWithEveryRealEngine() throws GeneralSecurityException {
        Es256Engines.knownAnswer(Es256Engines.builtin());
        Es256Engines.knownAnswer(Es256Engines.accp().engine());
    }

    @Test
    void shouldRefuseAnEngineThatAcceptsEverythingOrNothing() {
        GeneralSecurityException lax = assertThrows(GeneralSecurityException.class, () -> Es256Engines.knownAnswer(new ConstantEngine("constant", true)));
        assertEquals("constant accepted a changed signature", lax.getMessage());
        GeneralSecurityException strict = assertThrows(GeneralSecurityException.class, () -> Es256Engines.knownAnswer(new ConstantEngine("constant", false)));
        assertEquals("constant refused a valid signature", strict.getMessage());
    }

    @Test
    void shouldEncodeRAndSAsMinimalDer() throws Exception {
        Random random = new Random(7);
        BigInteger[] edges = { BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(0x7f), BigInteger.valueOf(0x80),
                BigInteger.valueOf(0xff), BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(247).subtract(BigInteger.ONE), P256Test.N.subtract(BigInteger.ONE) };
        for (BigInteger r : edges) {
            for (BigInteger s : edges) {
                assertDer(r, s);
            }
        }
        for (int i = 0; i < 2_000; i++) {
            // short values too: leading zero bytes in r or s
            assertDer(new BigInteger(8 + random.nextInt(249), random), new BigInteger(8 + random.nextInt(249), random));
        }
    }

    private static void assertDer(BigInteger r, BigInteger s) throws Exception {
        ASN1EncodableVector both = new ASN1EncodableVector();
        both.add(new ASN1Integer(r));
        both.add(new ASN1Integer(s));
        byte[] expected = new DERSequence(both).getEncoded(ASN1Encoding.DER);
        assertArrayEquals(expected, JcaEs256Engine.der(P256Test.signature(r, s)), r + ", " + s);
    }
}
