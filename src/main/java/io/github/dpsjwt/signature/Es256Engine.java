package io.github.dpsjwt.signature;

/**
 * What checks an ES256 signature once jose4j and SmallRye JWT have parsed the token: this project's P-256 code
 * ({@link Es256Engines#builtin()}), or a JCA provider's native ECDSA ({@link Es256Engines#accp()}). Which one runs
 * is chosen at start-up ({@code allocator.token.engine}); {@link FastEs256Algorithm} calls it.
 */
public interface Es256Engine {

    /** The engine's name in the logs and the metrics: {@code builtin} or {@code accp}. */
    String name();

    /**
     * Checks an ECDSA P-256 signature with SHA-256.
     *
     * @param key a key already checked to be a valid P-256 point
     * @param signedInput the bytes signed (a JWS's {@code header.payload})
     * @param signature r and s as 32 big-endian bytes each (the JWS form); the caller has checked the length
     * @return whether the signature is valid; never throws for a bad signature
     */
    boolean verify(Es256PublicKey key, byte[] signedInput, byte[] signature);
}
