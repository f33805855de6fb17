package io.github.dpsjwt.signature;

import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * ECDSA P-256 with SHA-256 by a JCA provider given as an object (never installed among the JDK's providers, so
 * nothing else in the process changes provider). The provider hashes and verifies in one call; the JWS signature
 * (r||s) is handed to it as the DER it expects. One {@link Signature} per thread.
 *
 * <p>The provider's own form of a key (for ACCP a native key, freed by a cleaner) is kept for at most as many keys
 * as {@code allocator.token.warm-keys} ({@link Es256PublicKey#setWarmCapacity}), one slot per key hash: a key used
 * again finds it unless another key took its slot since, and the slot is only ever used for the very key object it
 * was made from. Without it the provider made, and later freed, a native key at every verification.
 */
final class JcaEs256Engine implements Es256Engine {

    private static final String ALGORITHM = "SHA256withECDSA";

    private final String name;
    private final ThreadLocal<Signature> signatures;
    private final ThreadLocal<KeyFactory> keyFactories;
    /** The provider's keys, by slot; replaced when the capacity changes. */
    private volatile AtomicReferenceArray<ProviderKey> providerKeys = new AtomicReferenceArray<>(0);

    /** A registry key and the provider's form of it. */
    private record ProviderKey(Es256PublicKey key, PublicKey providerKey) {
    }

    /** @throws NoSuchAlgorithmException when the provider has no {@value #ALGORITHM} */
    JcaEs256Engine(String name, Provider provider) throws NoSuchAlgorithmException {
        this.name = name;
        Signature.getInstance(ALGORITHM, provider);
        KeyFactory.getInstance("EC", provider);
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                return Signature.getInstance(ALGORITHM, provider);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(provider.getName() + " lost " + ALGORITHM, e);
            }
        });
        this.keyFactories = ThreadLocal.withInitial(() -> {
            try {
                return KeyFactory.getInstance("EC", provider);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(provider.getName() + " lost its EC key factory", e);
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
            verifier.initVerify(providerKey(key));
            verifier.update(signedInput);
            return verifier.verify(der(signature));
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        }
    }

    /** The provider's form of the key: kept from an earlier use when its slot still holds it, else made now. */
    private PublicKey providerKey(Es256PublicKey key) throws InvalidKeyException {
        int capacity = Es256PublicKey.warmCapacity();
        AtomicReferenceArray<ProviderKey> slots = providerKeys;
        if (slots.length() != capacity) {
            slots = new AtomicReferenceArray<>(capacity);
            providerKeys = slots;
        }
        if (capacity == 0) {
            return make(key);
        }
        int slot = Math.floorMod(key.hashCode(), capacity);
        ProviderKey kept = slots.get(slot);
        if (kept != null && kept.key() == key) {
            return kept.providerKey();
        }
        PublicKey made = make(key);
        slots.set(slot, new ProviderKey(key, made));
        return made;
    }

    /**
     * A key of the provider's own, made from the encoding: not by {@code translateKey}, as ACCP destroys a key it
     * translated once a {@code Signature} moves on to another key, which a key kept for later uses cannot survive.
     */
    private PublicKey make(Es256PublicKey key) throws InvalidKeyException {
        try {
            return keyFactories.get().generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException(e);
        }
    }

    /** How many keys the provider's form is kept for (tests). */
    int keptKeys() {
        AtomicReferenceArray<ProviderKey> slots = providerKeys;
        int kept = 0;
        for (int i = 0; i < slots.length(); i++) {
            kept += slots.get(i) != null ? 1 : 0;
        }
        return kept;
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
