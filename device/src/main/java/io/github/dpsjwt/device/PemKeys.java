package io.github.dpsjwt.device;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Device keys as files: generated the way the seed's openssl commands make them, and read whatever
 * openssl wrote (SEC1 {@code EC PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}),
 * which the JDK alone cannot do for SEC1 and PKCS#1.
 */
final class PemKeys {

    private PemKeys() {
    }

    static KeyPair generateEc() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static KeyPair generateRsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    /** {@code -----BEGIN EC PRIVATE KEY-----}, as {@code openssl ecparam -genkey -name prime256v1 -noout} writes. */
    static String sec1Pem(KeyPair ec) throws IOException {
        BigInteger d = ((ECPrivateKey) ec.getPrivate()).getS();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded());
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, spki.getPublicKeyData(),
                new X962Parameters(X9ObjectIdentifiers.prime256v1));
        return pem("EC PRIVATE KEY", sec1.getEncoded());
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    static String pkcs8Pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** {@code -----BEGIN PUBLIC KEY-----} (SPKI), as {@code openssl ec -pubout} writes: the ES256_PEM/RSA_PEM registry format. */
    static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * @param text a private key PEM as openssl or {@code keygen} wrote it
     * @return the key pair when the PEM holds the public key too (SEC1, PKCS#1), else a pair without it
     */
    static PrivateKey readPrivateKey(String text) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                // openssl ecparam -genkey without -noout writes EC PARAMETERS first: skip such blocks
            }
        }
        throw new IOException("no private key found (expected EC PRIVATE KEY, PRIVATE KEY or RSA PRIVATE KEY PEM)");
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
