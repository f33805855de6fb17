package io.github.dpsjwt.registry;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when device keys are loaded: {@code /q/health/ready}. For a file or blob it also says which version
 * is loaded, how old it is, how many devices and usable credentials it holds, and the last check's error if any.
 */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

    private final RegistryHolder registry;

    RegistryReadiness(RegistryHolder registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        RegistryHolder.Status status = registry.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("device-registry")
                .status(status.ready())
                .withData("detail", status.detail());
        RegistryHolder.Loaded loaded = registry.loaded();
        Instant now = Instant.now();
        if (loaded != null) {
            response.withData("source", loaded.source())
                    .withData("version", loaded.version())
                    .withData("loadedAt", loaded.loadedAt().toString())
                    .withData("devices", loaded.devices())
                    .withData("usableCredentials", loaded.usableCredentials());
            if (loaded.modifiedAt() != null) {
                response.withData("versionWrittenAt", loaded.modifiedAt().toString())
                        .withData("versionAgeSeconds", Math.max(0, Duration.between(loaded.modifiedAt(), now).toSeconds()));
            }
        }
        if (registry.lastCheck() != null) {
            response.withData("lastCheckAt", registry.lastCheck().toString());
        }
        RegistryHolder.Failure failure = registry.failure();
        if (failure != null) {
            response.withData("lastReloadError", failure.reason())
                    .withData("failingSince", failure.since().toString());
        }
        return response.build();
    }
}
