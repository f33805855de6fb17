package io.github.dpsjwt.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@value #RESIDENT_MEMORY}: the process's resident memory, what a platform's memory limit applies to, in the JVM
 * and in the native binary alike. Read from {@code /proc/self/statm} at each scrape (NaN where there is none). The
 * JVM binder's metrics are off: its GC listener costs about 2 % of the CPU at full load, a notification per young
 * collection.
 */
final class ProcessMetrics {

    static final String RESIDENT_MEMORY = "process.resident.memory.bytes";

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMetrics() {
    }

    static void register(MeterRegistry registry) {
        Gauge.builder(RESIDENT_MEMORY, ProcessMetrics::residentBytes)
                .description("Resident memory of the process (RSS)")
                .register(registry);
    }

    /** The resident set size in bytes, or NaN when {@code /proc/self/status} cannot be read. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: no figure
        }
        return Double.NaN;
    }
}
