package io.github.dpsjwt.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where device keys come from ({@code allocator.registry.*}). Set one source: a registry file, a registry blob,
 * or the seed sample's single key. A file or blob is checked for a new version every {@link #refresh()}; the
 * seed key is read once. With none set, or both a file and a blob, the webhook stays not ready and answers 503.
 */
@ConfigMapping(prefix = "allocator.registry")
public interface RegistryConfig {

    /**
     * A registry file in the shape of a Google Cloud IoT Core export: per-device ids, blocked flags and up
     * to three credentials each, read again when it changes. Env {@code ALLOCATOR_REGISTRY_FILE}. No default.
     */
    Optional<Path> file();

    /**
     * The full URL of one blob holding the registry (same format as the file), for example
     * {@code https://account.blob.core.windows.net/registry/registry.json}, or on Azurite
     * {@code http://127.0.0.1:10000/devstoreaccount1/registry/registry.json}. A SAS in the URL is used as the
     * credential. Env {@code ALLOCATOR_REGISTRY_BLOB_URL}. No default.
     */
    Optional<String> blobUrl();

    /**
     * The storage account's connection string, used for {@link #blobUrl()} when set; otherwise a SAS in the URL,
     * otherwise Azure's default credential chain (a managed identity in Azure). A secret: never logged.
     * Env {@code ALLOCATOR_REGISTRY_BLOB_CONNECTION_STRING}. No default.
     */
    Optional<String> blobConnectionString();

    /**
     * How often each replica checks the file or blob for a new version (one small conditional request to Blob
     * when nothing changed). A change reaches every replica within this plus the reload time. At least 1s.
     * Env {@code ALLOCATOR_REGISTRY_REFRESH}. Default {@code 30s}.
     */
    @WithDefault("30s")
    Duration refresh();

    /**
     * The seed sample's single public key (PEM; literal {@code \n} sequences are fine), trusted for
     * every device. Env {@code DEVICE_PUBLIC_KEY}, as the seed's app setting. No default.
     */
    Optional<String> devicePublicKey();
}
