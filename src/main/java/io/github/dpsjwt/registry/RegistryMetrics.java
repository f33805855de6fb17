package io.github.dpsjwt.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The registry's freshness as Prometheus metrics ({@value #PREFIX}{@code _*}): whether a version is loaded, its
 * devices and usable credentials, how old it is, how long the source has been failing, and the reloads and reload
 * failures so far. Read from {@link RegistryHolder} at each scrape; nothing on the request path.
 */
public final class RegistryMetrics {

    /** Prefix of every registry metric. */
    public static final String PREFIX = "allocator.registry";

    private RegistryMetrics() {
    }

    /** Registers the registry's gauges and counters. */
    public static void register(MeterRegistry meters, RegistryHolder registry) {
        gauge(meters, registry, "ready", "1 when a registry (or the seed key) is loaded and requests are answered",
                r -> r.status().ready() ? 1 : 0);
        gauge(meters, registry, "devices", "Devices in the version in use (NaN with the seed key or none loaded)",
                r -> ofLoaded(r, RegistryHolder.Loaded::devices));
        gauge(meters, registry, "usable.credentials", "Credentials of the version in use whose key could be read",
                r -> ofLoaded(r, RegistryHolder.Loaded::usableCredentials));
        gauge(meters, registry, "version.age.seconds", "Seconds since the version in use was written to its file or blob",
                r -> ofLoaded(r, loaded -> secondsSince(loaded.modifiedAt())));
        gauge(meters, registry, "failing.seconds", "Seconds since the checks of the source began to fail (0 when the last"
                + " check was good): the version in use may be stale", RegistryMetrics::failingSeconds);
        // counters keep their object weakly: a class, held for good, and the holder in the function
        FunctionCounter.builder(PREFIX + ".reloads", RegistryMetrics.class, c -> registry.reloads())
                .description("New registry versions taken since start")
                .register(meters);
        FunctionCounter.builder(PREFIX + ".reload.failures", RegistryMetrics.class, c -> registry.reloadFailures())
                .description("Checks that failed after a first good version: unreachable store, unreadable or refused version")
                .register(meters);
    }

    private static void gauge(MeterRegistry meters, RegistryHolder registry, String name, String description,
            ToDoubleFunction<RegistryHolder> value) {
        Gauge.builder(PREFIX + "." + name, registry, value).description(description).strongReference(true).register(meters);
    }

    /** A figure of the version in use, read once: the refresh thread may swap it between two reads. */
    private static double ofLoaded(RegistryHolder registry, ToDoubleFunction<RegistryHolder.Loaded> figure) {
        RegistryHolder.Loaded loaded = registry.loaded();
        return loaded == null ? Double.NaN : figure.applyAsDouble(loaded);
    }

    /** Read once: a good check clears the failure, and a second read could find it gone. */
    private static double failingSeconds(RegistryHolder registry) {
        RegistryHolder.Failure failure = registry.failure();
        return failure == null ? 0 : secondsSince(failure.since());
    }

    private static double secondsSince(Instant then) {
        return then == null ? Double.NaN : Math.max(0, Duration.between(then, Instant.now()).toMillis() / 1000.0);
    }
}
