package io.github.dpsjwt.registry;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;
import io.quarkus.runtime.StartupEvent;

/**
 * Owns the active {@link DeviceRegistry}: chooses the source from {@link RegistryConfig}, loads it off
 * the start-up path (the HTTP server answers 503 until it is ready), and reports readiness.
 */
@ApplicationScoped
public class RegistryHolder {

    private static final Logger LOG = Logger.getLogger(RegistryHolder.class);
    /** Files from this size (about 3,000 devices) answer from an index while the full read runs. */
    static final long INDEX_MIN_BYTES = 1 << 20;
    /**
     * Files above this size (about 750,000 devices) are only streamed: the index holds the whole file in
     * the heap until the full read completes, on top of the devices it reads.
     */
    static final long INDEX_MAX_BYTES = 256L << 20;

    /** What the holder knows now: a ready registry, or why there is none yet. */
    public record Status(boolean ready, String detail) {
    }

    private final RegistryConfig config;
    private volatile DeviceRegistry registry;
    private volatile String notReadyReason = "device keys are loading";

    RegistryHolder(RegistryConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        Optional<Path> file = config.file();
        Optional<String> seedKey = config.devicePublicKey();
        if (file.isPresent()) {
            if (seedKey.isPresent()) {
                LOG.warn("both allocator.registry.file and DEVICE_PUBLIC_KEY are set; using the registry file");
            }
            inBackground(() -> loadFile(file.get()));
        } else if (seedKey.isPresent()) {
            // parsing loads the JCA's key classes and builds the P-256 generator table: off the start-up path, like the file
            inBackground(() -> loadSeedKey(seedKey.get()));
        } else {
            fail("no device keys configured: set DEVICE_PUBLIC_KEY or allocator.registry.file (ALLOCATOR_REGISTRY_FILE)");
        }
    }

    private static void inBackground(Runnable load) {
        Thread loader = new Thread(load, "registry-loader");
        loader.setDaemon(true);
        loader.start();
    }

    private void loadSeedKey(String pem) {
        try {
            install(new SeedKeyRegistry(Credential.of(PublicKeys.parse(pem, null), null, KeyOwners.SEVERAL_DEVICES)));
        } catch (InvalidKeyException | RuntimeException e) {
            fail("DEVICE_PUBLIC_KEY is not usable: " + e.getMessage());
        }
    }

    private void loadFile(Path file) {
        loadFile(file, INDEX_MIN_BYTES, INDEX_MAX_BYTES);
    }

    /**
     * Reads the registry file. A large one first answers from a {@link RegistryIndex} (ready in a fraction
     * of the full read's time at start-up, when the JIT is cold), then from the full read, which also
     * reports every skipped entry; a file that fails the full read, or does not fit in the heap, takes
     * readiness back.
     */
    void loadFile(Path file, long indexMinBytes, long indexMaxBytes) {
        try {
            load(file, indexMinBytes, indexMaxBytes);
        } catch (OutOfMemoryError e) {
            // the reader's own objects are garbage once it has unwound to here; the registry it was
            // replacing goes too, as the webhook would otherwise answer from an index that reads every
            // device's entry on every request, without ever saying that its full read was abandoned
            registry = null;
            fail("registry file " + file + " does not fit in the heap: " + heapAdvice(file));
        }
    }

    /** What to do about a registry too large for the heap, with the sizes involved. */
    private static String heapAdvice(Path file) {
        long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
        String size;
        try {
            size = (Files.size(file) >> 20) + " MiB";
        } catch (IOException e) {
            size = "its size unknown";
        }
        return "the file (" + size + ") needs more than the " + maxHeap + " MiB the JVM may use (-Xmx); loading takes"
                + " about 1 MB of heap per 1,000 devices: raise -Xmx (docs/operations.md, \"Heap size\")";
    }

    private void load(Path file, long indexMinBytes, long indexMaxBytes) {
        long started = System.nanoTime();
        RegistryFileReader.Result result;
        try {
            result = read(file, indexMinBytes, indexMaxBytes, started);
        } catch (IOException | RuntimeException e) {
            registry = null;
            fail(cannotLoad(file, e));
            return;
        }
        for (RegistryFileReader.Problem problem : result.problems()) {
            LOG.warnf("registry entry skipped: id=%s reason=%s", problem.id(), problem.reason());
        }
        if (result.devices().isEmpty()) {
            // ready with no devices would refuse every device with a 403, which DPS does not retry
            registry = null;
            fail("registry file " + file + " holds no usable device (" + result.problems().size()
                    + " entries skipped, each logged with its reason): the webhook stays not ready");
            return;
        }
        ExportFileRegistry loaded = new ExportFileRegistry(file, result.devices());
        install(loaded);
        LOG.infof("registry ready: %d devices loaded, %d problems, in %d ms", loaded.size(),
                result.problems().size(), (System.nanoTime() - started) / 1_000_000);
        if (warmKeys(loaded) == 0) {
            registry = null;
            fail("registry file " + file + ": no device has a usable credential (every key failed to parse, each"
                    + " logged with its reason): the webhook stays not ready");
        }
    }

    /** Why the file cannot be loaded, in words that say what to check (an exception's message may be just the path). */
    static String cannotLoad(Path file, Exception e) {
        String setting = " (allocator.registry.file, env ALLOCATOR_REGISTRY_FILE)";
        if (e instanceof NoSuchFileException) {
            return "registry file " + file + " does not exist: check the path" + setting;
        }
        if (e instanceof AccessDeniedException) {
            return "registry file " + file + " cannot be read: permission denied for this process";
        }
        if (Files.isDirectory(file)) {
            return "registry file " + file + " is a folder: name the registry file itself" + setting;
        }
        return "registry file " + file + " cannot be loaded: " + e.getMessage();
    }

    /** A method of its own so that the file's bytes are garbage once it returns, before the keys are parsed. */
    private RegistryFileReader.Result read(Path file, long indexMinBytes, long indexMaxBytes, long started)
            throws IOException {
        long size = Files.size(file);
        if (size < indexMinBytes || size > indexMaxBytes) {
            return RegistryFileReader.read(file);
        }
        byte[] bytes = RegistryFileReader.readBytes(file);
        RegistryIndex.build(file, bytes).ifPresent(index -> {
            install(index);
            LOG.infof("registry ready: %d devices indexed in %d ms; full read under way", index.size(),
                    (System.nanoTime() - started) / 1_000_000);
        });
        return RegistryFileReader.read(bytes);
    }

    /**
     * Parses every key once, after readiness, so requests find them parsed and bad keys show in the log.
     *
     * @return how many devices have at least one usable key
     */
    private static int warmKeys(ExportFileRegistry loaded) {
        long started = System.nanoTime();
        int bad = 0;
        int usable = 0;
        for (Device device : loaded.devices()) {
            boolean any = false;
            for (int i = 0; i < device.credentials().size(); i++) {
                try {
                    device.credentials().get(i).key();
                    any = true;
                } catch (InvalidKeyException e) {
                    bad++;
                    LOG.warnf("registry entry skipped: id=%s reason=credentials[%d]: %s", device.id(), i, e.getMessage());
                }
            }
            usable += any ? 1 : 0;
        }
        LOG.infof("registry keys parsed: %d unusable, in %d ms", bad, (System.nanoTime() - started) / 1_000_000);
        return usable;
    }

    /** Makes {@code ready} the registry that answers (package-private: tests watch the hand-overs). */
    void install(DeviceRegistry ready) {
        registry = ready;
        LOG.infof("device keys: %s", ready.description());
    }

    private void fail(String reason) {
        notReadyReason = reason;
        LOG.error(reason);
    }

    /**
     * @return the device, or empty when the registry does not know it
     * @throws RefusalException {@link Reason#REGISTRY_NOT_READY} while no registry is loaded
     */
    public Optional<Device> find(String registrationId) {
        DeviceRegistry active = registry;
        if (active == null) {
            throw new RefusalException(Reason.REGISTRY_NOT_READY, notReadyReason);
        }
        return active.find(registrationId);
    }

    /** Readiness and a description for the health check. */
    public Status status() {
        DeviceRegistry active = registry;
        return active == null ? new Status(false, notReadyReason) : new Status(true, active.description());
    }
}
