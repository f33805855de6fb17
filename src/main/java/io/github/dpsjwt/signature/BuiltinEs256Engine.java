package io.github.dpsjwt.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * This project's P-256 code ({@link P256}), with a key's precomputed table once it has one (see
 * {@link Es256PublicKey}). Pure Java: it runs wherever the webhook runs, the native binary included.
 */
final class BuiltinEs256Engine implements Es256Engine {

    static final BuiltinEs256Engine INSTANCE = new BuiltinEs256Engine();

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(BuiltinEs256Engine::sha256);

    private BuiltinEs256Engine() {
    }

    @Override
    public String name() {
        return "builtin";
    }

    @Override
    public boolean verify(Es256PublicKey key, byte[] signedInput, byte[] signature) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return key.verify(digest.digest(signedInput), signature);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
