package io.github.dpsjwt.allocation;

import java.time.Clock;

import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.github.dpsjwt.registry.Es256PublicKey;
import io.github.dpsjwt.registry.RegistryHolder;
import io.github.dpsjwt.token.DeviceTokenVerifier;
import io.github.dpsjwt.token.TokenConfig;
import io.github.dpsjwt.token.VerifierWarmUp;
import io.quarkus.runtime.StartupEvent;

/** Builds the plain allocation classes from configuration, once, and warms them up off the start-up path. */
@ApplicationScoped
public class AllocationBeans {

    private static final Logger LOG = Logger.getLogger(AllocationBeans.class);

    /**
     * Checks the initial twin at start-up, so that a bad one stops the application with a clear message,
     * then builds and warms the verifier on a thread of its own while Quarkus finishes booting.
     */
    void onStart(@Observes StartupEvent event, AllocationConfig allocation, Instance<AllocationService> service) {
        allocation.initialTwin().ifPresent(InitialTwin::parse);
        Thread warmUp = new Thread(() -> {
            long started = System.nanoTime();
            try {
                VerifierWarmUp.run(service.get().verifier(), 5);
                LOG.debugf("verifier warmed up in %d ms", (System.nanoTime() - started) / 1_000_000);
            } catch (Exception | LinkageError e) {
                LOG.error("the token verifier failed its self-test with a freshly signed token", e);
            }
        }, "verifier-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    @Produces
    @Singleton
    AllocationService allocationService(RegistryHolder registry, TokenConfig token, AllocationConfig allocation) {
        Es256PublicKey.setWarmCapacity(token.warmKeys());
        DeviceTokenVerifier verifier = new DeviceTokenVerifier(token.audiences(), token.maxLifetime(), token.clockSkew(),
                Clock.systemUTC());
        HubPolicy policy = new HubPolicy(allocation.iotHubHostname(), allocation.keepCurrentHub());
        return new AllocationService(registry::find, verifier, policy,
                allocation.initialTwin().map(InitialTwin::parse).orElse(null), token.payloadField());
    }
}
