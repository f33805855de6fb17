package io.github.dpsjwt.registry;

import java.security.PublicKey;
import java.time.Instant;

/**
 * One of a device's credentials: key text, its declared format and an optional expiry.
 *
 * <p>The key is parsed once, on first use or by the registry's warm-up pass, and the result (key or
 * reason) is kept, so no request pays for parsing twice and a registry of 100,000 devices loads
 * without parsing 100,000 keys up front. The key text is dropped once parsed (about 220 bytes a key).
 */
public final class Credential {

    /** Dropped (set to null) once {@link #parsed} is set, never before. */
    private volatile String material;
    private final KeyFormat format;
    private final Instant expiresAt;
    /** {@link KeySharing#hash} of the key text, 0 for a credential given already parsed: kept once the text is dropped. */
    private final long textHash;
    private volatile Object parsed;
    private volatile KeyOwners owners;

    /**
     * @param material the key text (PEM)
     * @param format the declared format, or {@code null} to accept any supported one
     * @param expiresAt when the credential stops being accepted, or {@code null} for never
     */
    public Credential(String material, KeyFormat format, Instant expiresAt) {
        this(material, format, expiresAt, KeyOwners.SEVERAL_DEVICES);
    }

    /**
     * @param material the key text (PEM)
     * @param format the declared format, or {@code null} to accept any supported one
     * @param expiresAt when the credential stops being accepted, or {@code null} for never
     * @param owners whether the key is this device's alone
     */
    public Credential(String material, KeyFormat format, Instant expiresAt, KeyOwners owners) {
        this.material = material;
        this.format = format;
        this.expiresAt = expiresAt;
        this.owners = owners;
        this.textHash = material == null ? 0 : KeySharing.hash(material);
    }

    /** A credential whose key is already parsed. */
    public static Credential of(PublicKey key, Instant expiresAt, KeyOwners owners) {
        Credential credential = new Credential(null, null, expiresAt, owners);
        credential.parsed = key;
        return credential;
    }

    /**
     * Whether the key belongs to this device alone: a token it verifies must name its device unless it does.
     * {@code SEVERAL_DEVICES} until the registry has compared it with every other device's keys.
     */
    public KeyOwners keyOwners() {
        return owners;
    }

    void owners(KeyOwners owners) {
        this.owners = owners;
    }

    /** A hash of the key text, ignoring white space; 0 when the credential was given already parsed. */
    long textHash() {
        return textHash;
    }

    /**
     * Takes {@code earlier}'s parsed key (or parse failure) when both were made from the same key text (ignoring
     * white space) in the same declared format: what spares a registry reload from parsing the keys that did
     * not change. Reload compares a device's new credentials with its own earlier ones only.
     *
     * @return whether the parsed key was taken
     */
    boolean adoptParsed(Credential earlier) {
        Object result = earlier.parsed;
        if (result == null || textHash == 0 || textHash != earlier.textHash || format != earlier.format || parsed != null) {
            return false;
        }
        parsed = result;
        material = null;
        return true;
    }

    /** The key text as the registry gave it, or {@code null} once parsed (or given already parsed). */
    String material() {
        return material;
    }

    /** The declared format, or {@code null} to accept any supported one. */
    KeyFormat format() {
        return format;
    }

    /** When the credential stops being accepted, or {@code null} for never. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether the credential is past its expiry at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * The verification key, parsed on first call.
     *
     * @throws InvalidKeyException every time, if the key text cannot be used
     */
    public PublicKey key() throws InvalidKeyException {
        Object result = parsed;
        if (result == null) {
            String text = material;
            // read again: text is null only after another thread has set the result
            result = parsed;
            if (result == null) {
                // Two threads may parse the same key at once; both get equal results, so no lock is needed.
                try {
                    result = PublicKeys.parse(text, format);
                } catch (InvalidKeyException e) {
                    result = e;
                }
                parsed = result;
                material = null;
            }
        }
        if (result instanceof InvalidKeyException invalid) {
            throw invalid;
        }
        return (PublicKey) result;
    }
}
