package io.github.dpsjwt.support;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Key pairs and PEM text made fresh by the tests: nothing secret is ever committed. */
public final class Keys {

    private Keys() {
    }

    public static KeyPair ec() {
        return ec("secp256r1");
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa() {
        return rsa(2048);
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SPKI PEM, as {@code openssl ec -pubout} writes it. */
    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** PKCS#1 RSA public key PEM, as {@code openssl rsa -RSAPublicKey_out} writes it. */
    public static String pkcs1Pem(PublicKey rsaKey) {
        try {
            byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(rsaKey.getEncoded()).parsePublicKey().getEncoded();
            return pem("RSA PUBLIC KEY", pkcs1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PKCS#8 private key PEM, which the registry must refuse. */
    public static String pem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** A self-signed certificate PEM holding the pair's public key, as Google Cloud IoT Core's *_X509_PEM. */
    public static String certificatePem(KeyPair pair, boolean expired) {
        try {
            long now = System.currentTimeMillis();
            Date notBefore = new Date(now - (expired ? 400L : 1L) * 86_400_000L);
            Date notAfter = new Date(now + (expired ? -30L : 365L) * 86_400_000L);
            X500Name subject = new X500Name("CN=unused");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now), notBefore,
                    notAfter, subject, pair.getPublic());
            String algorithm = pair.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(pair.getPrivate());
            return pem("CERTIFICATE", builder.build(signer).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
