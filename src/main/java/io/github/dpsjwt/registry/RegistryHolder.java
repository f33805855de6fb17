package io.github.dpsjwt.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;
import io.github.dpsjwt.metrics.Meters;
import io.github.dpsjwt.registry.source.BlobSource;
import io.github.dpsjwt.registry.source.FileSource;
import io.github.dpsjwt.registry.source.RegistrySource;
import io.github.dpsjwt.registry.source.RegistrySource.Version;
import io.github.dpsjwt.registry.source.RegistrySource.VersionGoneException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Owns the active {@link DeviceRegistry}: chooses the source from {@link RegistryConfig}, loads it off the
 * start-up path (the HTTP server answers 503 until it is ready), checks a file or blob source for new versions
 * every {@code allocator.registry.refresh}, and reports readiness.
 *
 * <p>A new version replaces the old one in one step, after it has been read in full and its keys parsed (the
 * keys whose text did not change are taken from the old version, not parsed again); requests go on being
 * answered from the old one meanwhile. A version that cannot be read, holds no device or no usable key, or does
 * not fit in the heap never replaces a good one: the replica stays ready on the last good version and says why
 * in its log (once per failure, not once per check) and in readiness. Until a first good version is loaded the
 * webhook is not ready, and checks again every few seconds.
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
    /** How soon a replica that has no good version yet checks again. */
    static final Duration NOT_READY_RETRY = Duration.ofSeconds(5);
    /** Skipped entries logged one by one per version read; the rest are counted. */
    static final int PROBLEM_LINES = 100;

    /** What the holder knows now: a ready registry, or why there is none yet. */
    public record Status(boolean ready, String detail) {
    }

    /**
     * The version in use, for readiness and metrics.
     *
     * @param source where it came from (never a secret)
     * @param version its ETag, or the file's modification time, size and identity
     * @param modifiedAt when the source says it was written, or {@code null}
     * @param loadedAt when this replica started answering from it
     * @param devices devices it holds
     * @param usableCredentials credentials whose keys parsed
     */
    public record Loaded(String source, String version, Instant modifiedAt, Instant loadedAt, int devices,
            int usableCredentials) {
    }

    /**
     * The last check that failed, while the failure lasts.
     *
     * @param reason what went wrong and what to check
     * @param since when the failure was first seen
     */
    public record Failure(String reason, Instant since) {
    }

    private final RegistryConfig config;
    private volatile DeviceRegistry registry;
    private volatile String notReadyReason = "device keys are loading";
    private volatile Loaded loaded;
    private volatile Failure failure;
    private volatile Instant lastCheck;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadFailures = new AtomicLong();

    // touched by the refresh thread only (and by tests, which call check() themselves)
    private RegistrySource source;
    private String knownTag;
    /** Why the version named {@link #knownTag} was refused, or {@code null} when it is the one in use. */
    private String knownTagRefused;
    private String lastLogged;
    long indexMinBytes = INDEX_MIN_BYTES;
    long indexMaxBytes = INDEX_MAX_BYTES;
    private ScheduledExecutorService refresher;

    RegistryHolder(RegistryConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event, Meters meters) {
        RegistryMetrics.register(meters.registry(), this);
        Optional<Path> file = config.file();
        Optional<String> blob = config.blobUrl().filter(url -> !url.isBlank());
        Optional<String> seedKey = config.devicePublicKey();
        if (file.isPresent() && blob.isPresent()) {
            fail("both allocator.registry.file and allocator.registry.blob-url are set: set one registry source");
            return;
        }
        if ((file.isPresent() || blob.isPresent()) && seedKey.isPresent()) {
            LOG.warnf("both %s and DEVICE_PUBLIC_KEY are set; using the registry %s",
                    file.isPresent() ? "allocator.registry.file" : "allocator.registry.blob-url", file.isPresent() ? "file" : "blob");
        }
        if (file.isPresent()) {
            watch(new FileSource(file.get()));
        } else if (blob.isPresent()) {
            try {
                watch(BlobSource.create(blob.get(), config.blobConnectionString().filter(cs -> !cs.isBlank())));
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            } catch (RuntimeException e) {
                // whatever the SDK throws while setting up, the webhook starts, stays not ready and says why
                fail("registry blob cannot be used: " + message(e) + " (allocator.registry.blob-url)");
            }
        } else if (seedKey.isPresent()) {
            // parsing loads the JCA's key classes and builds the P-256 generator table: off the start-up path, like the file
            Thread loader = new Thread(() -> loadSeedKey(seedKey.get()), "registry-loader");
            loader.setDaemon(true);
            loader.start();
        } else {
            fail("no device keys configured: set DEVICE_PUBLIC_KEY, allocator.registry.file (ALLOCATOR_REGISTRY_FILE)"
                    + " or allocator.registry.blob-url (ALLOCATOR_REGISTRY_BLOB_URL)");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private void watch(RegistrySource watched) {
        source = watched;
        LOG.infof("device keys: following %s, checked for a new version every %ss", watched.description(), refresh().toSeconds());
        refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "registry-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.execute(this::checkAndPlanNext);
    }

    private Duration refresh() {
        Duration refresh = config.refresh();
        return refresh.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : refresh;
    }

    private void checkAndPlanNext() {
        try {
            check();
        } catch (RuntimeException | Error e) {
            // a bug here must not end the checks: the replica would silently stop following the registry
            LOG.error("registry check failed unexpectedly", e);
        } finally {
            Duration next = registry == null && NOT_READY_RETRY.compareTo(refresh()) < 0 ? NOT_READY_RETRY : refresh();
            if (!refresher.isShutdown()) {
                refresher.schedule(this::checkAndPlanNext, next.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void loadSeedKey(String pem) {
        try {
            install(new SeedKeyRegistry(Credential.of(PublicKeys.parse(pem, null), null, KeyOwners.SEVERAL_DEVICES)));
        } catch (InvalidKeyException | RuntimeException e) {
            fail("DEVICE_PUBLIC_KEY is not usable: " + e.getMessage());
        }
    }

    /** Loads a registry file once, with the index thresholds given (for tests; the service uses the defaults). */
    void loadFile(Path file, long indexMin, long indexMax) {
        source = new FileSource(file);
        indexMinBytes = indexMin;
        indexMaxBytes = indexMax;
        check();
    }

    /** Uses this source from now on (for tests: the service watches the configured one). */
    void useSource(RegistrySource watched) {
        source = watched;
    }

    /** Asks the source for a new version and loads it if there is one: one refresh. */
    void check() {
        lastCheck = Instant.now();
        Optional<Version> changed;
        try {
            changed = source.changedSince(knownTag);
        } catch (IOException | RuntimeException e) {
            failed(message(e));
            return;
        }
        if (changed.isPresent()) {
            load(changed.get());
        } else if (failure != null && registry != null) {
            if (knownTagRefused == null) {
                recovered();
            } else if (!knownTagRefused.equals(failure.reason())) {
                // reachable again, and still holding the version refused before: that is the failure again
                failure = new Failure(knownTagRefused, failure.since());
            }
        }
    }

    private void load(Version version) {
        long started = System.nanoTime();
        DeviceRegistry before = registry;
        ExportFileRegistry earlier = before instanceof ExportFileRegistry e ? e : null;
        RegistryFileReader.Result result;
        try {
            result = read(version, earlier, before == null);
        } catch (VersionGoneException e) {
            LOG.debugf("%s: %s; reading the new version at the next check", source.description(), e.getMessage());
            return;
        } catch (SourceFailure e) {
            failed(e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            refuse(version, source.description() + " cannot be loaded: " + message(e), earlier == null);
            return;
        } catch (OutOfMemoryError e) {
            outOfHeap(version, earlier == null);
            return;
        }
        try {
            if (!version.stillCurrent()) {
                LOG.debugf("%s changed while it was read; reading it again at the next check", source.description());
                return;
            }
        } catch (IOException e) {
            failed(message(e));
            return;
        }
        logProblems(result.problems());
        String stays = earlier != null ? "" : ": the webhook stays not ready";
        if (result.devices().isEmpty()) {
            // an empty registry would refuse every device with a 403, which DPS does not retry
            refuse(version, source.description() + " holds no usable device (" + result.problems().size()
                    + " entries skipped, each logged with its reason)" + stays, earlier == null);
            return;
        }
        ExportFileRegistry next = new ExportFileRegistry(source.description(), result.devices());
        int usable;
        try {
            if (earlier == null) {
                // first version: answer at once, and parse the keys while answering, as a cold start should
                install(next);
            }
            usable = warmKeys(next);
        } catch (OutOfMemoryError e) {
            outOfHeap(version, earlier == null);
            return;
        }
        if (usable == 0) {
            refuse(version, source.description() + ": no device has a usable credential (every key failed to parse,"
                    + " each logged with its reason)" + stays, earlier == null);
            return;
        }
        if (earlier != null) {
            install(next);
        }
        knownTag = version.tag();
        knownTagRefused = null;
        loaded = new Loaded(source.description(), version.tag(), version.modifiedAt(), Instant.now(), next.size(), usable);
        if (failure != null) {
            LOG.infof("%s: a good version is loaded again (checks had failed since %s)", source.description(), failure.since());
            failure = null;
            lastLogged = null;
        }
        if (earlier != null) {
            reloads.incrementAndGet();
        }
        LOG.infof("registry %s: %d devices, %d usable credentials (%d parsed keys kept from the version before),"
                + " %d problems, version %s, in %d ms", earlier == null ? "ready" : "reloaded", next.size(), usable,
                result.keysKept(), result.problems().size(), version.tag(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Reads a version. A first version of a mid-sized file answers from a {@link RegistryIndex} while the full
     * read runs (ready in a fraction of the full read's time at start-up, when the JIT is cold); everything else
     * is streamed.
     */
    private RegistryFileReader.Result read(Version version, ExportFileRegistry earlier, boolean first) throws IOException {
        long size = version.size();
        if (first && source instanceof FileSource file && size >= indexMinBytes && size <= indexMaxBytes) {
            return readIndexed(file, version.tag());
        }
        try (InputStream in = new Failing(version.open())) {
            return RegistryFileReader.read(in, size, earlier);
        }
    }

    /** A method of its own so that the file's bytes are garbage once it returns, before the keys are parsed. */
    private RegistryFileReader.Result readIndexed(FileSource file, String tag) throws IOException {
        long started = System.nanoTime();
        byte[] bytes;
        try {
            bytes = RegistryFileReader.readBytes(file.file());
        } catch (IOException e) {
            throw new SourceFailure(file.description() + " cannot be read: " + message(e));
        }
        RegistryIndex.build(file.file(), bytes).ifPresent(index -> {
            install(index);
            LOG.infof("registry ready: %d devices indexed in %d ms; full read under way", index.size(),
                    (System.nanoTime() - started) / 1_000_000);
        });
        return RegistryFileReader.read(bytes);
    }

    /** The source failed while being read (not the text's fault): the same version is read again at the next check. */
    private static final class SourceFailure extends IOException {
        SourceFailure(String message) {
            super(message, null);
        }
    }

    /** Marks the source's own failures, so that they are told apart from a text that is not a registry. */
    private static final class Failing extends FilterInputStream {
        Failing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (VersionGoneException e) {
                throw e;
            } catch (IOException e) {
                throw new SourceFailure(message(e));
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (VersionGoneException e) {
                throw e;
            } catch (IOException e) {
                throw new SourceFailure(message(e));
            }
        }
    }

    private void outOfHeap(Version version, boolean first) {
        refuse(version, source.description() + " does not fit in the heap: " + heapAdvice(version.size()), first);
    }

    /** What to do about a registry too large for the heap, with the sizes involved. */
    private static String heapAdvice(long bytes) {
        long maxHeap = Runtime.getRuntime().maxMemory() >> 20;
        String size = bytes < 0 ? "its size unknown" : (bytes >> 20) + " MiB";
        return "the registry (" + size + ") needs more than the " + maxHeap + " MiB the JVM may use (-Xmx); give it"
                + " 192 MiB plus 1.5 MiB per 1,000 devices above 50,000 (docs/operations.md, \"Heap size\")";
    }

    private static void logProblems(List<RegistryFileReader.Problem> problems) {
        for (int i = 0; i < problems.size() && i < PROBLEM_LINES; i++) {
            LOG.warnf("registry entry skipped: id=%s reason=%s", problems.get(i).id(), problems.get(i).reason());
        }
        if (problems.size() > PROBLEM_LINES) {
            LOG.warnf("registry entries skipped: %d more not listed", problems.size() - PROBLEM_LINES);
        }
    }

    /**
     * Parses every key not taken from the version before, so requests find them parsed and bad keys show in the log.
     *
     * @return how many credentials are usable; 0 when no device has a usable key
     */
    private static int warmKeys(ExportFileRegistry next) {
        long started = System.nanoTime();
        int bad = 0;
        int usable = 0;
        int logged = 0;
        for (Device device : next.devices()) {
            for (int i = 0; i < device.credentials().size(); i++) {
                try {
                    device.credentials().get(i).key();
                    usable++;
                } catch (InvalidKeyException e) {
                    bad++;
                    if (logged++ < PROBLEM_LINES) {
                        LOG.warnf("registry entry skipped: id=%s reason=credentials[%d]: %s", device.id(), i, e.getMessage());
                    }
                }
            }
        }
        LOG.infof("registry keys parsed: %d unusable, in %d ms", bad, (System.nanoTime() - started) / 1_000_000);
        return usable;
    }

    /** Makes {@code ready} the registry that answers (package-private: tests watch the hand-overs). */
    void install(DeviceRegistry ready) {
        registry = ready;
        LOG.infof("device keys: %s", ready.description());
    }

    /**
     * A version that cannot be used: it is not read again until the source holds another.
     *
     * @param first whether it was the first version: what answered while it was read (its index, or it, while its
     *        keys were parsed) is taken back, as it is not a usable registry after all (an index would otherwise go
     *        on answering, reading every device's entry on every request)
     */
    private void refuse(Version version, String reason, boolean first) {
        if (first) {
            registry = null;
        }
        knownTag = version.tag();
        knownTagRefused = reason;
        failed(reason);
    }

    /** A check that failed: the version in use (if any) stays; logged when the reason is new, not at every check. */
    private void failed(String reason) {
        if (loaded != null) {
            reloadFailures.incrementAndGet();
        }
        Failure before = failure;
        failure = new Failure(reason, before == null ? Instant.now() : before.since());
        if (registry == null) {
            notReadyReason = reason;
        }
        if (!reason.equals(lastLogged)) {
            lastLogged = reason;
            if (registry == null) {
                LOG.error(reason);
            } else {
                LOG.warnf("%s; answering from the version in use (%s)", reason, loaded == null ? "" : loaded.version());
            }
        }
    }

    /** The source answers again and still holds the version in use. */
    private void recovered() {
        LOG.infof("%s answers again; the version in use is still current", source.description());
        failure = null;
        lastLogged = null;
    }

    private void fail(String reason) {
        notReadyReason = reason;
        LOG.error(reason);
    }

    private static String message(Exception e) {
        if (e instanceof JsonProcessingException json) {
            // Jackson's own message runs over several lines and quotes the source
            JsonLocation at = json.getLocation();
            return json.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[.*?]\\)", "") + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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

    /** The file or blob version in use, or {@code null} (none yet, or the seed key). */
    public Loaded loaded() {
        return loaded;
    }

    /** The failure of the checks since the last good one, or {@code null} when the last check was good. */
    public Failure failure() {
        return failure;
    }

    /** When the source was last asked for a new version, or {@code null}. */
    public Instant lastCheck() {
        return lastCheck;
    }

    /** New versions taken since start (the first one not counted). */
    public long reloads() {
        return reloads.get();
    }

    /** Checks that failed after a first good version (unreachable store, unreadable or refused version). */
    public long reloadFailures() {
        return reloadFailures.get();
    }
}
