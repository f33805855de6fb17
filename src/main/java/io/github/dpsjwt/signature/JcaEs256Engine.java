package io.github.dpsjwt.signature;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;

/**
 * ECDSA P-256 with SHA-256 by a JCA provider given as an object (never installed among the JDK's providers, so
 * nothing else in the process changes provider). The provider hashes and verifies in one call; the JWS signature
 * (r||s) is handed to it as the DER it expects. One {@link Signature} per thread.
 */
final class JcaEs256Engine implements Es256Engine {

    private static final String ALGORITHM = "SHA256withECDSA";

    private final String name;
    private final ThreadLocal<Signature> signatures;

    /** @throws NoSuchAlgorithmException when the provider has no {@value #ALGORITHM} */
    JcaEs256Engine(String name, Provider provider) throws NoSuchAlgorithmException {
        this.name = name;
        Signature.getInstance(ALGORITHM, provider);
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                return Signature.getInstance(ALGORITHM, provider);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(provider.getName() + " lost " + ALGORITHM, e);
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean verify(Es256PublicKey key, byte[] signedInput, byte[] signature) {
        Signature verifier = signatures.get();
        try {
            verifier.initVerify(key);
            verifier.update(signedInput);
            return verifier.verify(der(signature));
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        }
    }

    /** The DER SEQUENCE of two INTEGERs for a 64-byte r||s: minimal, so a provider's DER parser has no choice to make. */
    static byte[] der(byte[] signature) {
        int rStart = firstNonZero(signature, 0);
        int sStart = firstNonZero(signature, 32);
        int rLength = integerLength(signature, rStart, 32);
        int sLength = integerLength(signature, sStart, 64);
        byte[] out = new byte[2 + 2 + rLength + 2 + sLength];
        out[0] = 0x30;
        out[1] = (byte) (out.length - 2);
        int at = integer(out, 2, signature, rStart, 32, rLength);
        integer(out, at, signature, sStart, 64, sLength);
        return out;
    }

    private static int firstNonZero(byte[] bytes, int from) {
        int at = from;
        while (at < from + 31 && bytes[at] == 0) {
            at++;
        }
        return at;
    }

    private static int integerLength(byte[] bytes, int start, int end) {
        return end - start + ((bytes[start] & 0x80) != 0 ? 1 : 0);
    }

    private static int integer(byte[] out, int at, byte[] bytes, int start, int end, int length) {
        out[at] = 0x02;
        out[at + 1] = (byte) length;
        int value = at + 2 + length - (end - start);
        System.arraycopy(bytes, start, out, value, end - start);
        return at + 2 + length;
    }
}
