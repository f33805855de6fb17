package io.github.dpsjwt.token;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256Engines;
import io.quarkus.runtime.StartupEvent;

/**
 * When {@link TokenConfig#selfTestVectors()} names a folder, runs {@link VectorSelfTest} at start-up, off the
 * start-up path, and keeps the webhook not ready until it has passed: a platform on which the signature code
 * disagrees with the vectors must admit no device. Without the setting it is always ready and does nothing.
 */
@Readiness
@ApplicationScoped
public class SelfTestReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(SelfTestReadiness.class);

    private final TokenConfig config;
    private volatile boolean passed;
    private volatile String detail = "not run";

    SelfTestReadiness(TokenConfig config) {
        this.config = config;
        this.passed = config.selfTestVectors().isEmpty();
    }

    void onStart(@Observes StartupEvent event) {
        config.selfTestVectors().ifPresent(folder -> {
            detail = "running on " + folder;
            Thread runner = new Thread(() -> run(folder), "signature-self-test");
            runner.setDaemon(true);
            runner.start();
        });
    }

    /** The engines this process may verify with: the builtin one always (it serves until ACCP is loaded), and ACCP if it can. */
    static List<Es256Engine> engines(TokenConfig.Engine choice) {
        List<Es256Engine> engines = new ArrayList<>(List.of(Es256Engines.builtin()));
        if (choice != TokenConfig.Engine.BUILTIN) {
            try {
                engines.add(Es256Engines.accp().engine());
            } catch (Es256Engines.EngineUnavailableException e) {
                // not used here either: the start-up line says why
            }
        }
        return engines;
    }

    private void run(Path folder) {
        long started = System.nanoTime();
        try {
            List<Es256Engine> engines = engines(config.engine());
            VectorSelfTest.Result result = VectorSelfTest.run(folder, engines);
            long millis = (System.nanoTime() - started) / 1_000_000;
            String names = engines.stream().map(Es256Engine::name).collect(Collectors.joining(", "));
            if (result.disagreements().isEmpty()) {
                detail = result.vectors() + " vectors, all agree (" + names + ")";
                passed = true;
                LOG.infof("signature self-test: %d vectors from %s through %s, all agree, in %d ms", result.vectors(), folder,
                        names, millis);
            } else {
                detail = result.disagreements().size() + " of " + result.vectors() + " vectors disagree";
                LOG.errorf("signature self-test: %s: %s; the webhook stays not ready", detail, result.disagreements());
            }
        } catch (Exception e) {
            detail = "cannot run: " + e.getMessage();
            LOG.errorf("signature self-test on %s cannot run: %s; the webhook stays not ready", folder, e.getMessage());
        }
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("signature-self-test").status(passed).withData("detail", detail).build();
    }
}
