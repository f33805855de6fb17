package io.github.dpsjwt.token;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.github.dpsjwt.metrics.Meters;
import io.github.dpsjwt.signature.Es256PublicKey;
import io.github.dpsjwt.signature.FastEs256Algorithm;
import io.github.dpsjwt.signature.Es256PublicKey.WarmKeyCounts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Token verification as Prometheus metrics: {@value #VERIFICATIONS}{@code _seconds}, a histogram by algorithm and
 * result, and what the ES256 warm-key tables do ({@value #WARM_KEYS}{@code _*}: verifications with and without a
 * key's precomputed table, tables built, tables pushed out by busier keys, and the capacity), and which ES256 engine
 * is in use ({@value #ENGINE}).
 */
public final class TokenMetrics implements VerificationTimer {

    /** Histogram of verification time; labels {@code alg} (ES256, RS256) and {@code result} (accepted, refused). */
    public static final String VERIFICATIONS = "allocator.token.verification";
    /** 1 for the ES256 engine in use, 0 for the others; label {@code engine} (builtin, accp). */
    public static final String ENGINE = "allocator.token.engine";
    /** Prefix of the warm-key table metrics. */
    public static final String WARM_KEYS = "allocator.warm.keys";

    private static final Duration[] BUCKETS = Meters.millis(0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 50);

    private final Timer es256Accepted;
    private final Timer es256Refused;
    private final Timer rs256Accepted;
    private final Timer rs256Refused;

    /** Registers the verification histograms, at zero, and the warm-key counters. */
    public TokenMetrics(MeterRegistry registry) {
        es256Accepted = timer(registry, "ES256", "accepted");
        es256Refused = timer(registry, "ES256", "refused");
        rs256Accepted = timer(registry, "RS256", "accepted");
        rs256Refused = timer(registry, "RS256", "refused");
        warmCounter(registry, "verifications", "Verifications with a key's precomputed table", "table", "warm",
                WarmKeyCounts::warmVerifications);
        warmCounter(registry, "verifications", "Verifications with a small table made for them", "table", "small",
                WarmKeyCounts::smallTableVerifications);
        warmCounter(registry, "built", "Precomputed tables built", null, null, WarmKeyCounts::tablesBuilt);
        warmCounter(registry, "evicted", "Precomputed tables given up for a busier key", null, null,
                WarmKeyCounts::tablesEvicted);
        for (String engine : List.of("builtin", "accp")) {
            Gauge.builder(ENGINE, () -> engine.equals(FastEs256Algorithm.inUse().name()) ? 1 : 0)
                    .description("1 for the ES256 engine in use (allocator.token.engine), 0 for the others")
                    .tag("engine", engine)
                    .register(registry);
        }
        Gauge.builder(WARM_KEYS + ".capacity", () -> Es256PublicKey.warmKeyCounts().capacity())
                .description("How many keys may keep a precomputed table (allocator.token.warm-keys)")
                .register(registry);
    }

    private static Timer timer(MeterRegistry registry, String algorithm, String result) {
        return Timer.builder(VERIFICATIONS)
                .description("Device token verification: signature and claims, after the header checks")
                .tag("alg", algorithm)
                .tag("result", result)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private static void warmCounter(MeterRegistry registry, String name, String description, String tag, String value,
            ToDoubleFunction<WarmKeyCounts> count) {
        FunctionCounter.Builder<Class<Es256PublicKey>> builder = FunctionCounter
                .builder(WARM_KEYS + "." + name, Es256PublicKey.class, ignored -> count.applyAsDouble(Es256PublicKey.warmKeyCounts()))
                .description(description);
        if (tag != null) {
            builder.tag(tag, value);
        }
        builder.register(registry);
    }

    @Override
    public void record(String algorithm, boolean accepted, long nanos) {
        boolean ec = "ES256".equals(algorithm);
        Timer timer = ec ? (accepted ? es256Accepted : es256Refused) : (accepted ? rs256Accepted : rs256Refused);
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
