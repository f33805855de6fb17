package io.github.dpsjwt.device;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Whether a registry credential can verify device tokens on the webhook: the four Google Cloud IoT Core
 * formats, EC keys on P-256, RSA keys of 2048 bits or more. Mirrors the webhook's rules from the
 * contract, without sharing its code.
 */
final class KeyCheck {

    static final BigInteger P256_ORDER = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private KeyCheck() {
    }

    /** @return {@code null} when the credential is usable, else why not (never quoting the key) */
    static String problem(String format, String text) {
        if (format == null) {
            return "no publicKey.format";
        }
        boolean certificate;
        boolean ec;
        switch (format) {
            case "ES256_PEM" -> { ec = true; certificate = false; }
            case "ES256_X509_PEM" -> { ec = true; certificate = true; }
            case "RSA_PEM" -> { ec = false; certificate = false; }
            case "RSA_X509_PEM" -> { ec = false; certificate = true; }
            default -> {
                return "unsupported key format " + format;
            }
        }
        if (text == null) {
            return "no publicKey.key";
        }
        Matcher pem = PEM.matcher(text.replace("\\n", "\n"));
        if (!pem.find()) {
            return "publicKey.key is not PEM";
        }
        String label = pem.group(1);
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
            PublicKey key;
            if (certificate) {
                if (!label.equals("CERTIFICATE")) {
                    return format + " needs a CERTIFICATE PEM, found " + label;
                }
                key = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
            } else if (label.equals("PUBLIC KEY")) {
                key = KeyFactory.getInstance(ec ? "EC" : "RSA").generatePublic(new X509EncodedKeySpec(der));
            } else if (label.equals("RSA PUBLIC KEY") && !ec) {
                byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), der)
                        .getEncoded();
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
            } else {
                return format + " cannot hold a " + label + " PEM";
            }
            if (ec) {
                if (!(key instanceof ECPublicKey e) || !e.getParams().getOrder().equals(P256_ORDER)) {
                    return "not an EC P-256 key";
                }
            } else if (!(key instanceof RSAPublicKey r)) {
                return "not an RSA key";
            } else if (r.getModulus().bitLength() < 2048) {
                return "RSA key of " + r.getModulus().bitLength() + " bits; at least 2048 are needed";
            }
            return null;
        } catch (Exception e) {
            return "unreadable " + label.toLowerCase() + " for " + format;
        }
    }
}
