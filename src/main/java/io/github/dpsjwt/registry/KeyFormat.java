package io.github.dpsjwt.registry;

/**
 * The public key formats of a Google Cloud IoT Core registry export ({@code credentials[].publicKey.format}).
 */
public enum KeyFormat {
    /** An EC P-256 public key as an SPKI PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    ES256_PEM(KeyType.EC, false),
    /** An X.509 certificate PEM holding an EC P-256 public key. */
    ES256_X509_PEM(KeyType.EC, true),
    /** An RSA public key (2048 bits or more) as an SPKI PEM, or PKCS#1 ({@code BEGIN RSA PUBLIC KEY}). */
    RSA_PEM(KeyType.RSA, false),
    /** An X.509 certificate PEM holding an RSA public key (2048 bits or more). */
    RSA_X509_PEM(KeyType.RSA, true);

    /** The kind of key a format holds. */
    public enum KeyType {
        EC, RSA
    }

    private final KeyType keyType;
    private final boolean certificate;

    KeyFormat(KeyType keyType, boolean certificate) {
        this.keyType = keyType;
        this.certificate = certificate;
    }

    public KeyType keyType() {
        return keyType;
    }

    public boolean certificate() {
        return certificate;
    }
}
