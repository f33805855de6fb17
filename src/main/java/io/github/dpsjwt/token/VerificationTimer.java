package io.github.dpsjwt.token;

/** Told how long each token verification took: the signature and claim checks of a token whose header is allowed. */
@FunctionalInterface
public interface VerificationTimer {

    /** Records nothing. */
    VerificationTimer NONE = (algorithm, accepted, nanos) -> {
    };

    /**
     * @param algorithm the token's {@code alg}: {@code ES256} or {@code RS256}
     * @param accepted whether the token was accepted
     * @param nanos how long the checks took
     */
    void record(String algorithm, boolean accepted, long nanos);
}
