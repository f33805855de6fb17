package io.github.dpsjwt.metrics;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The registry the webhook's own meters are registered in, and the process's own gauges. Quarkus hands out a
 * composite registry that forwards every count to each registry in it; with one registry (Prometheus, the only one
 * this project ships) the webhook registers its meters there directly and saves the forwarding on every request.
 */
@ApplicationScoped
public class Meters {

    private final MeterRegistry registry;

    Meters(MeterRegistry quarkus) {
        this.registry = direct(quarkus);
    }

    void onStart(@Observes StartupEvent event) {
        ProcessMetrics.register(registry);
    }

    /** Where to register a meter. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The one registry inside a composite that holds one, else the registry itself. */
    static MeterRegistry direct(MeterRegistry registry) {
        if (registry instanceof CompositeMeterRegistry composite && composite.getRegistries().size() == 1) {
            return composite.getRegistries().iterator().next();
        }
        return registry;
    }

    /** Durations in milliseconds, as a histogram's bucket bounds. */
    public static Duration[] millis(double... millis) {
        Duration[] buckets = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            buckets[i] = Duration.ofNanos(Math.round(millis[i] * 1_000_000));
        }
        return buckets;
    }
}
