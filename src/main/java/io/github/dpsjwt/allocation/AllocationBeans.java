package io.github.dpsjwt.allocation;

import java.io.IOException;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.decision.DecisionConfig;
import io.github.dpsjwt.decision.DecisionMetrics;
import io.github.dpsjwt.decision.Decisions;
import io.github.dpsjwt.metrics.Meters;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.signature.Es256PublicKey;
import io.github.dpsjwt.signature.FastEs256Algorithm;
import io.github.dpsjwt.registry.RegistryHolder;
import io.github.dpsjwt.token.DeviceTokenVerifier;
import io.github.dpsjwt.token.TokenConfig;
import io.github.dpsjwt.token.TokenMetrics;
import io.github.dpsjwt.token.VerifierWarmUp;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Builds the plain allocation classes from configuration, once, and warms them up off the start-up path. */
@ApplicationScoped
public class AllocationBeans {

    private static final Logger LOG = Logger.getLogger(AllocationBeans.class);

    private static final String WARM_UP_REQUEST = "{\"enrollmentGroup\":{\"enrollmentGroupId\":\"warm-up\"},"
            + "\"deviceRuntimeContext\":{\"registrationId\":\"warm-up\",\"payload\":{\"jwt\":\"x\"}},"
            + "\"linkedHubs\":[\"warm-up.azure-devices.net\"]}";

    /** Set at shutdown, so that the warm-up thread does not report what the shutdown breaks. */
    private volatile boolean stopping;

    /**
     * Checks the initial twin at start-up, so that a bad one stops the application with a clear message, and
     * chooses the ES256 engine (on the start-up path when one is named, off it for {@code auto}), then builds and
     * warms the verifier and the JSON mapping on a thread of its own while Quarkus
     * finishes booting.
     */
    void onStart(@Observes StartupEvent event, AllocationConfig allocation, TokenConfig token, DecisionConfig decisions,
            Meters meters, Instance<AllocationService> service, Instance<ObjectMapper> json) {
        allocation.initialTwin().ifPresent(InitialTwin::parse);
        TokenConfig.Engine engine = token.engine();
        if (engine != TokenConfig.Engine.AUTO) {
            LOG.info(selectEngine(engine, Es256Engines::accp));
        }
        Decisions.start(new DecisionMetrics(meters.registry()), decisions.sample());
        Thread warmUp = new Thread(() -> {
            if (engine == TokenConfig.Engine.AUTO) {
                LOG.info(selectEngine(engine, Es256Engines::accp));
            }
            warmUp(() -> service.get().verifier(), json::get, () -> stopping);
        }, "verifier-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** Writes the decision lines still queued; requests that finish later log their own. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Decisions.close();
    }

    /**
     * Puts the ES256 engine that {@code allocator.token.engine} asks for in use. {@code auto} takes ACCP when it
     * loads and the builtin code otherwise; {@code accp} stops the start when ACCP cannot be used.
     *
     * @param accp loads ACCP, or says why it cannot
     * @return the log line that says which engine verifies, and why
     * @throws IllegalStateException for {@code accp} when ACCP cannot be used here
     */
    static String selectEngine(TokenConfig.Engine choice, Supplier<Es256Engines.Loaded> accp) {
        if (choice == TokenConfig.Engine.BUILTIN) {
            FastEs256Algorithm.use(Es256Engines.builtin());
            return "ES256 signatures: builtin P-256 code (allocator.token.engine=builtin)";
        }
        Es256Engines.Loaded loaded;
        try {
            loaded = accp.get();
        } catch (Es256Engines.EngineUnavailableException e) {
            if (choice == TokenConfig.Engine.ACCP) {
                throw new IllegalStateException("allocator.token.engine=accp, but " + e.getMessage()
                        + "; set allocator.token.engine to auto or builtin", e);
            }
            FastEs256Algorithm.use(Es256Engines.builtin());
            return "ES256 signatures: builtin P-256 code (allocator.token.engine=auto; ACCP not used: " + e.getMessage() + ")";
        }
        FastEs256Algorithm.use(loaded.engine());
        return "ES256 signatures: accp (" + loaded.description() + ", allocator.token.engine="
                + choice.name().toLowerCase(java.util.Locale.ROOT) + "), loaded in " + loaded.millis() + " ms"
                + (loaded.preloaded() ? " beside the boot" : "")
                + (choice == TokenConfig.Engine.AUTO ? "; the builtin P-256 code verified until then" : "");
    }

    /** How a start-up warm-up ended. */
    enum WarmUp {
        DONE,
        /** The verifier failed its self-test: logged as an error. */
        FAILED,
        /** The application began to stop before the warm-up was done: nothing to report. */
        STOPPED
    }

    /**
     * Verifies freshly signed tokens, then warms the JSON mapping. A process stopped right after its
     * start (a health probe's restart, a test) ends the container under this thread: what fails then
     * is not the verifier's fault, and is not reported.
     */
    static WarmUp warmUp(Supplier<DeviceTokenVerifier> verifier, Supplier<ObjectMapper> json, BooleanSupplier stopping) {
        long started = System.nanoTime();
        try {
            VerifierWarmUp.run(verifier.get(), 5);
            LOG.debugf("verifier warmed up in %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception | LinkageError e) {
            if (stopping.getAsBoolean()) {
                return WarmUp.STOPPED;
            }
            LOG.error("the token verifier failed its self-test with a freshly signed token", e);
            return WarmUp.FAILED;
        }
        try {
            warmUpJson(json.get());
        } catch (RuntimeException e) {
            if (stopping.getAsBoolean()) {
                return WarmUp.STOPPED;
            }
            LOG.debug("JSON warm-up failed; the first request sets Jackson up instead", e);
        }
        return WarmUp.DONE;
    }

    /**
     * Reads a request and writes a response through the mapper Quarkus REST uses, so that the first
     * device does not wait for Jackson to build their (de)serializers (~50 ms of its first request
     * without a start-up cache, measured here).
     *
     * @return whether both went through (a failure only means the first request does the set-up)
     */
    static boolean warmUpJson(ObjectMapper mapper) {
        try {
            AllocationRequest request = mapper.readValue(WARM_UP_REQUEST, AllocationRequest.class);
            mapper.writeValueAsBytes(new AllocationResponse(request.linkedHubs().get(0), null,
                    new AllocationResponse.Payload(request.linkedHubs().get(0), "1970-01-01T00:00:00Z")));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("JSON warm-up failed; the first request sets Jackson up instead", e);
            return false;
        }
    }

    @Produces
    @Singleton
    AllocationService allocationService(RegistryHolder registry, TokenConfig token, AllocationConfig allocation,
            Meters meters) {
        Es256PublicKey.setWarmCapacity(token.warmKeys());
        DeviceTokenVerifier verifier = new DeviceTokenVerifier(token.audiences(), token.maxLifetime(), token.clockSkew(),
                Clock.systemUTC(), token.requireBinding(), new TokenMetrics(meters.registry()));
        HubPolicy policy = new HubPolicy(allocation.iotHubHostname(), allocation.keepCurrentHub());
        return new AllocationService(registry::find, verifier, policy,
                allocation.initialTwin().map(InitialTwin::parse).orElse(null), token.payloadField());
    }
}
