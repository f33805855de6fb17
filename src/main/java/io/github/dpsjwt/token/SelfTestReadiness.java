package io.github.dpsjwt.token;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

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

    private void run(Path folder) {
        long started = System.nanoTime();
        try {
            VectorSelfTest.Result result = VectorSelfTest.run(folder);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (result.disagreements().isEmpty()) {
                detail = result.vectors() + " vectors, all agree";
                passed = true;
                LOG.infof("signature self-test: %d vectors from %s, all agree, in %d ms", result.vectors(), folder, millis);
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
