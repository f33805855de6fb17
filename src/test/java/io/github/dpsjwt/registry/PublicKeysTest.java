package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Keys;

class PublicKeysTest {

    static final KeyPair EC = Keys.ec();
    static final KeyPair RSA = Keys.rsa();

    static String refusal(String text, KeyFormat format) {
        return assertThrows(InvalidKeyException.class, () -> PublicKeys.parse(text, format)).getMessage();
    }

    @Test
    void shouldReadEachDeclaredFormat() throws Exception {
        assertEquals(EC.getPublic(), PublicKeys.parse(Keys.pem(EC.getPublic()), KeyFormat.ES256_PEM));
        assertEquals(EC.getPublic(), PublicKeys.parse(Keys.certificatePem(EC, false), KeyFormat.ES256_X509_PEM));
        assertEquals(RSA.getPublic(), PublicKeys.parse(Keys.pem(RSA.getPublic()), KeyFormat.RSA_PEM));
        assertEquals(RSA.getPublic(), PublicKeys.parse(Keys.pkcs1Pem(RSA.getPublic()), KeyFormat.RSA_PEM));
        assertEquals(RSA.getPublic(), PublicKeys.parse(Keys.certificatePem(RSA, false), KeyFormat.RSA_X509_PEM));
    }

    @Test
    void shouldReadKeyTextAsAppSettingsMangleIt() throws Exception {
        String pem = Keys.pem(EC.getPublic());
        assertEquals(EC.getPublic(), PublicKeys.parse(pem.replace("\n", "\\n"), null));
        assertEquals(EC.getPublic(), PublicKeys.parse(pem.replace("\n", "\r\n"), null));
        assertEquals(EC.getPublic(), PublicKeys.parse(pem.replace("\n", " "), null));
        assertEquals(EC.getPublic(), PublicKeys.parse(Base64.getEncoder().encodeToString(EC.getPublic().getEncoded()), null));
        assertInstanceOf(ECPublicKey.class, PublicKeys.parse("  " + pem + "\n\n", null));
        assertInstanceOf(RSAPublicKey.class, PublicKeys.parse(Keys.certificatePem(RSA, false), null));
    }

    @Test
    void shouldRefuseCurvesOtherThanP256() {
        assertTrue(refusal(Keys.pem(Keys.ec("secp384r1").getPublic()), KeyFormat.ES256_PEM).contains("P-256"));
        assertTrue(refusal(Keys.pem(Keys.ec("secp521r1").getPublic()), null).contains("P-256"));
    }

    @Test
    void shouldRefuseShortRsaKeys() {
        assertTrue(refusal(Keys.pem(Keys.rsa(1024).getPublic()), KeyFormat.RSA_PEM).contains("1024 bits"));
    }

    @Test
    void shouldRefusePrivateKeysWithoutQuotingThem() {
        String pem = Keys.pem(EC.getPrivate());
        String message = refusal(pem, KeyFormat.ES256_PEM);
        assertTrue(message.contains("private key"));
        assertFalse(message.contains(pem.substring(30, 60)));
    }

    @Test
    void shouldRefuseAFormatThatDoesNotMatchTheKey() {
        assertTrue(refusal(Keys.pem(RSA.getPublic()), KeyFormat.ES256_PEM).contains("declared ES256_PEM"));
        assertTrue(refusal(Keys.pem(EC.getPublic()), KeyFormat.ES256_X509_PEM).contains("declared ES256_X509_PEM"));
        assertTrue(refusal(Keys.certificatePem(EC, false), KeyFormat.ES256_PEM).contains("certificate"));
    }

    @Test
    void shouldRefuseGarbage() {
        refusal("", null);
        refusal("   ", KeyFormat.ES256_PEM);
        refusal("not a key", KeyFormat.ES256_PEM);
        refusal("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----", null);
        refusal("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", null);
        refusal("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END CERTIFICATE-----", null);
        refusal("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", null);
        refusal("-----BEGIN SOMETHING-----\nAAAA\n-----END SOMETHING-----", null);
        refusal(Keys.pem(EC.getPublic()) + Keys.pem(RSA.getPublic()), null);
    }
}
