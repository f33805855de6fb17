package io.github.dpsjwt.registry;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when device keys are loaded: {@code /q/health/ready}. */
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
        return HealthCheckResponse.named("device-registry")
                .status(status.ready())
                .withData("detail", status.detail())
                .build();
    }
}
