package io.github.dpsjwt.token;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How device tokens are checked ({@code allocator.token.*}). The defaults are Google Cloud IoT Core's
 * rules, so a migrating fleet's tokens behave as before.
 */
@ConfigMapping(prefix = "allocator.token")
public interface TokenConfig {

    /**
     * Accepted {@code aud} values (comma list). When set, a token must carry one of them; when unset,
     * {@code aud} is not checked (the seed's sample device sends none). Google Cloud IoT Core devices put
     * their cloud project id here. No default.
     */
    Optional<Set<String>> audiences();

    /**
     * The longest lifetime ({@code exp - iat}) a token may have, plus {@link #clockSkew()} as in Google
     * Cloud IoT Core. Default {@code 24h}.
     */
    @WithDefault("24h")
    Duration maxLifetime();

    /**
     * Clock difference tolerated between device and webhook, both ways: for {@code exp}, {@code nbf} and
     * an {@code iat} in the future. Default {@code 10m}.
     */
    @WithDefault("10m")
    Duration clockSkew();

    /**
     * The field of the device's provisioning payload ({@code deviceRuntimeContext.payload}) that holds the
     * token. Default {@code jwt}, as the seed's sample device sends.
     */
    @WithDefault("jwt")
    String payloadField();

    /**
     * What checks ES256 signatures. {@code auto} (the default): ACCP, the Amazon Corretto Crypto Provider (AWS-LC's
     * ECDSA, native code, fast from the first request), when it loads and passes a known-answer check, which it does
     * in the JVM build on Linux x86_64; otherwise, and until it has loaded (about half a second, off the start-up
     * path), the builtin P-256 code. {@code accp}: ACCP or the webhook does not start (loaded on the start-up path).
     * {@code builtin}: this project's pure-Java P-256 code, the only engine in the native binary. The choice is
     * logged once at start-up and shown by the metric {@code allocator_token_engine}.
     */
    @WithDefault("auto")
    Engine engine();

    /** The values of {@link #engine()}. */
    enum Engine {
        /** ACCP when it loads, else the builtin code. */
        AUTO,
        /** ACCP, required. */
        ACCP,
        /** The builtin P-256 code. */
        BUILTIN
    }

    /**
     * How many EC keys keep their precomputed tables (4 KB each: 40 MB of heap for the default). A key
     * gets its table on its second use; its first verification, and every one of a key without a table,
     * runs at about a third of the rate (5,000 against about 15,500 verifications a second per core
     * here). When all are taken, a key takes a table from another only if it has been used more often
     * lately, so that with more devices than tables the tables stay with the same keys instead of being
     * rebuilt on every use. 0 keeps none. Only the builtin engine uses them: with ACCP no table is built.
     * Default {@code 10000}.
     */
    @WithDefault("10000")
    int warmKeys();

    /**
     * Whether every token must name its device, in a {@code registration_id} (the seed's claim) or {@code sub}
     * claim equal to the registration id. When {@code false} (the default), a token that names no device is
     * accepted only when the key that verified it belongs to that device alone; with one key for several
     * devices (seed mode, or a key shared in the registry) the token must always name its device, since the
     * key alone cannot tell the devices apart. A token that names another device is refused either way.
     */
    @WithDefault("false")
    boolean requireBinding();

    /**
     * A folder of Google Wycheproof vector files ({@code ecdsa_secp256r1_sha256_p1363_test.json},
     * {@code rsa_signature_*_sha256_test.json}). When set, the webhook runs every vector through its verification
     * paths at start-up, logs the result, and stays not ready if any vector disagrees: a check of the signature
     * code on the platform it runs on (a native binary's compiled code is its own). Env
     * {@code ALLOCATOR_TOKEN_SELF_TEST_VECTORS}. No default (no self-test).
     */
    Optional<java.nio.file.Path> selfTestVectors();
}
