package io.github.dpsjwt.registry;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Where device keys come from ({@code allocator.registry.*}). Set one of the two; when both are set the
 * registry file wins and {@code DEVICE_PUBLIC_KEY} is ignored with a warning. With neither, the
 * webhook stays not ready and answers 503.
 */
@ConfigMapping(prefix = "allocator.registry")
public interface RegistryConfig {

    /**
     * A registry file in the shape of a Google Cloud IoT Core export: per-device ids, blocked flags and up
     * to three credentials each. Env {@code ALLOCATOR_REGISTRY_FILE}. No default.
     */
    Optional<Path> file();

    /**
     * The seed sample's single public key (PEM; literal {@code \n} sequences are fine), trusted for
     * every device. Env {@code DEVICE_PUBLIC_KEY}, as the seed's app setting. No default.
     */
    Optional<String> devicePublicKey();
}
