package io.github.dpsjwt.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import io.github.dpsjwt.signature.Es256PublicKey;

/**
 * Turns the key text of a credential into a {@link PublicKey}, accepting only what can verify a device
 * JWT: EC keys on P-256 and RSA keys of 2048 bits or more, as SPKI PEM, PKCS#1 PEM or an X.509
 * certificate PEM.
 *
 * <p>Text is read forgivingly, since it arrives through app settings and exports: literal {@code \n}
 * sequences, CRLF and stray spaces are fine, and a bare base64 SPKI is accepted where no format is
 * declared. Certificate validity dates are not checked: the device's key is the credential, as in
 * Google Cloud IoT Core, and credential expiry comes from the registry's {@code expirationTime}.
 */
public final class PublicKeys {

    /** The smallest RSA modulus accepted, as jose4j (and Google Cloud IoT Core) require for RS256. */
    public static final int MIN_RSA_BITS = 2048;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);
    private static final ECParameterSpec P256 = p256();

    private PublicKeys() {
    }

    /**
     * Parses key text.
     *
     * @param text the PEM (or, without a declared format, bare base64 SPKI)
     * @param declared the format the registry names, or {@code null} to accept any supported one
     * @return a P-256 key in verify-ready form ({@link Es256PublicKey}) or an {@link RSAPublicKey}
     * @throws InvalidKeyException with a reason that never quotes the key
     */
    public static PublicKey parse(String text, KeyFormat declared) throws InvalidKeyException {
        if (text == null || text.isBlank()) {
            throw new InvalidKeyException("key is empty");
        }
        String normalized = text.replace("\\r", "").replace("\\n", "\n");
        Matcher pem = PEM.matcher(normalized);
        PublicKey key;
        boolean certificate;
        if (pem.find()) {
            String label = pem.group(1);
            if (!label.equals(pem.group(3))) {
                throw new InvalidKeyException("PEM BEGIN/END labels do not match");
            }
            if (label.contains("PRIVATE")) {
                throw new InvalidKeyException("holds a private key; the registry takes public keys only");
            }
            byte[] der = base64(pem.group(2));
            if (pem.find()) {
                throw new InvalidKeyException("holds more than one PEM block");
            }
            switch (label) {
                case "PUBLIC KEY" -> {
                    key = fromSpki(der);
                    certificate = false;
                }
                case "RSA PUBLIC KEY" -> {
                    key = fromSpki(pkcs1ToSpki(der));
                    certificate = false;
                }
                case "CERTIFICATE" -> {
                    key = fromCertificate(der);
                    certificate = true;
                }
                default -> throw new InvalidKeyException("unsupported PEM type '" + label + "'");
            }
        } else if (declared == null && !normalized.contains("-----")) {
            key = fromSpki(base64(normalized));
            certificate = false;
        } else {
            throw new InvalidKeyException("no PEM block found");
        }
        check(key);
        if (key instanceof ECPublicKey ec) {
            try {
                key = new Es256PublicKey(ec);
            } catch (IllegalArgumentException e) {
                throw new InvalidKeyException("EC public point is not a valid P-256 point");
            }
        }
        if (declared != null) {
            KeyFormat.KeyType actual = key instanceof ECPublicKey ? KeyFormat.KeyType.EC : KeyFormat.KeyType.RSA;
            if (declared.keyType() != actual || declared.certificate() != certificate) {
                throw new InvalidKeyException("declared " + declared + " but holds "
                        + (certificate ? "a certificate with an " : "an ") + actual + " key");
            }
        }
        return key;
    }

    private static void check(PublicKey key) throws InvalidKeyException {
        if (key instanceof ECPublicKey ec) {
            ECParameterSpec params = ec.getParams();
            if (!params.getCurve().equals(P256.getCurve()) || !params.getOrder().equals(P256.getOrder())
                    || !params.getGenerator().equals(P256.getGenerator())) {
                throw new InvalidKeyException("EC key is not on P-256 (prime256v1); ES256 needs P-256");
            }
        } else if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new InvalidKeyException("RSA key has " + rsa.getModulus().bitLength()
                        + " bits; at least " + MIN_RSA_BITS + " are required");
            }
        } else {
            throw new InvalidKeyException("unsupported key algorithm " + key.getAlgorithm());
        }
    }

    private static byte[] base64(String body) throws InvalidKeyException {
        try {
            return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("key is not valid base64");
        }
    }

    private static PublicKey fromSpki(byte[] der) throws InvalidKeyException {
        String algorithm;
        try {
            algorithm = SubjectPublicKeyInfo.getInstance(der).getAlgorithm().getAlgorithm().getId();
        } catch (RuntimeException e) {
            throw new InvalidKeyException("not a DER SubjectPublicKeyInfo");
        }
        String jca = switch (algorithm) {
            case "1.2.840.10045.2.1" -> "EC";
            case "1.2.840.113549.1.1.1" -> "RSA";
            default -> throw new InvalidKeyException("unsupported key algorithm OID " + algorithm);
        };
        try {
            return KeyFactory.getInstance(jca).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyException("unreadable " + jca + " public key");
        }
    }

    private static byte[] pkcs1ToSpki(byte[] pkcs1) throws InvalidKeyException {
        try {
            var rsa = new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
            return new SubjectPublicKeyInfo(rsa, pkcs1).getEncoded();
        } catch (IOException | RuntimeException e) {
            throw new InvalidKeyException("unreadable PKCS#1 RSA public key");
        }
    }

    private static PublicKey fromCertificate(byte[] der) throws InvalidKeyException {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidKeyException("unreadable X.509 certificate");
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256 support", e);
        }
    }
}
