package io.github.dpsjwt.allocation;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.github.dpsjwt.registry.Es256PublicKey;
import io.github.dpsjwt.registry.RegistryHolder;
import io.github.dpsjwt.token.DeviceTokenVerifier;
import io.github.dpsjwt.token.TokenConfig;
import io.quarkus.runtime.Startup;

/** Builds the plain allocation classes from configuration, once. */
@ApplicationScoped
public class AllocationBeans {

    /** Built at start-up so that a bad initial twin stops the application with a clear message. */
    @Produces
    @Singleton
    @Startup
    AllocationService allocationService(RegistryHolder registry, TokenConfig token, AllocationConfig allocation) {
        Es256PublicKey.setWarmCapacity(token.warmKeys());
        DeviceTokenVerifier verifier = new DeviceTokenVerifier(token.audiences(), token.maxLifetime(), token.clockSkew(),
                Clock.systemUTC());
        HubPolicy policy = new HubPolicy(allocation.iotHubHostname(), allocation.keepCurrentHub());
        return new AllocationService(registry::find, verifier, policy,
                allocation.initialTwin().map(InitialTwin::parse).orElse(null), token.payloadField());
    }
}
