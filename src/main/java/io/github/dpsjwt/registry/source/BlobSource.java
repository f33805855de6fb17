package io.github.dpsjwt.registry.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

/**
 * One blob holding the registry ({@code allocator.registry.blob-url}), through Azure's SDK. Each check is one
 * conditional request (If-None-Match on the last ETag): an unchanged blob answers 304 with no body. A changed
 * blob is streamed in 4 MiB blocks, each read with If-Match on its ETag, so a blob replaced mid-read is never
 * read half old, half new.
 *
 * <p>Credentials, first that applies: a connection string ({@code allocator.registry.blob-connection-string},
 * Azurite's or an account key's), a SAS in the URL, else Azure's default credential chain (the managed identity
 * in Azure, which needs the Storage Blob Data Reader role on the container).
 */
public final class BlobSource implements RegistrySource {

    /** Bounds one check: a store that does not answer is a failed check, not a stuck refresh thread. */
    private static final Duration TRY_TIMEOUT = Duration.ofSeconds(10);
    private static final int BLOCK_SIZE = 4 << 20;

    private final BlobClient blob;
    private final String display;

    private BlobSource(BlobClient blob, String display) {
        this.blob = blob;
        this.display = display;
    }

    /**
     * @param url the blob's full URL, with or without a SAS query
     * @param connectionString the storage account's connection string, or empty
     * @throws IllegalArgumentException when the URL is not a blob URL; the message names the setting
     */
    public static BlobSource create(String url, Optional<String> connectionString) {
        URI uri = parse(url);
        String query = uri.getRawQuery();
        if (System.getProperty("java.home") == null) {
            // a native image has no java.home, and the SDK's JDK HTTP client builder reads <java.home>/conf/net.properties
            // with it: a path that holds no such file makes it use the defaults, as a JDK without the file would
            System.setProperty("java.home", "/dev/null");
        }
        HttpClient http = new JdkHttpClientBuilder()
                .connectionTimeout(TRY_TIMEOUT)
                .responseTimeout(TRY_TIMEOUT)
                .readTimeout(TRY_TIMEOUT)
                .build();
        BlobClientBuilder builder = new BlobClientBuilder()
                .httpClient(http)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, (int) TRY_TIMEOUT.toSeconds(),
                        200L, 2_000L, null));
        String display = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
        try {
            if (connectionString.isPresent()) {
                // the connection string carries the key; the URL then names the blob (Azurite's path-style URL too)
                builder.connectionString(connectionString.get()).endpoint(url);
            } else if (query != null && query.contains("sig=")) {
                builder.endpoint(url);
            } else {
                builder.endpoint(url).credential(new DefaultAzureCredentialBuilder().httpClient(http).build());
            }
            return new BlobSource(builder.buildClient(), "registry blob " + display);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("registry blob " + display + " cannot be used: " + firstLine(e.getMessage())
                    + " (allocator.registry.blob-url, allocator.registry.blob-connection-string)");
        }
    }

    private static URI parse(String url) {
        String setting = " (allocator.registry.blob-url, env ALLOCATOR_REGISTRY_BLOB_URL)";
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the registry blob URL is not a URL" + setting);
        }
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("the registry blob URL must start with https:// (or http:// for Azurite)"
                    + setting);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        // https://account.blob.core.windows.net/container/blob, or Azurite's http://host:port/account/container/blob
        int segments = path.isEmpty() ? 0 : path.split("/+").length;
        boolean pathStyle = uri.getPort() != -1 || uri.getHost().matches("[0-9.]+|localhost|\\[.*]");
        if (segments < (pathStyle ? 3 : 2)) {
            throw new IllegalArgumentException("the registry blob URL must name the container and the blob, e.g. "
                    + "https://account.blob.core.windows.net/registry/registry.json" + setting);
        }
        return uri;
    }

    @Override
    public Optional<Version> changedSince(String knownTag) throws IOException {
        BlobProperties properties;
        try {
            BlobRequestConditions conditions = new BlobRequestConditions();
            if (knownTag != null) {
                conditions.setIfNoneMatch(knownTag);
            }
            properties = blob.getPropertiesWithResponse(conditions, null, Context.NONE).getValue();
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 304) {
                return Optional.empty();
            }
            throw new IOException(refused(e), null);
        } catch (RuntimeException e) {
            throw new IOException(unreachable(e), null);
        }
        String tag = properties.getETag();
        if (tag == null || tag.equals(knownTag)) {
            return Optional.empty();
        }
        long size = properties.getBlobSize();
        Instant modified = properties.getLastModified() == null ? null : properties.getLastModified().toInstant();
        return Optional.of(new Found(tag, size, modified, () -> open(tag), () -> true));
    }

    /** Streams the version {@code tag}, each block read with If-Match on it. */
    private InputStream open(String tag) throws IOException {
        BlobInputStreamOptions options = new BlobInputStreamOptions()
                .setBlockSize(BLOCK_SIZE)
                .setRequestConditions(new BlobRequestConditions().setIfMatch(tag));
        try {
            return new Translating(blob.openInputStream(options, Context.NONE));
        } catch (BlobStorageException e) {
            throw e.getStatusCode() == 412 ? new VersionGoneException(display + " changed while it was read")
                    : new IOException(refused(e), null);
        } catch (RuntimeException e) {
            throw new IOException(unreachable(e), null);
        }
    }

    /** The SDK's stream throws unchecked exceptions mid-read; the reader expects I/O exceptions with clear messages. */
    private final class Translating extends InputStream {
        private final InputStream in;

        Translating(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (BlobStorageException e) {
                throw e.getStatusCode() == 412 ? new VersionGoneException(display + " changed while it was read")
                        : new IOException(refused(e), null);
            } catch (IOException | UncheckedIOException e) {
                Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
                if (cause instanceof IOException io && io.getCause() instanceof BlobStorageException storage) {
                    throw storage.getStatusCode() == 412 ? new VersionGoneException(display + " changed while it was read")
                            : new IOException(refused(storage), null);
                }
                throw new IOException(unreachable(e), null);
            } catch (RuntimeException e) {
                throw new IOException(unreachable(e), null);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** What the store said, by status and error code only: the SDK's own message can quote the request. */
    private String refused(BlobStorageException e) {
        String code = e.getErrorCode() == null ? "" : " " + e.getErrorCode().toString();
        String advice = switch (e.getStatusCode()) {
            case 403 -> ": access denied; check the SAS (expiry, read permission), the connection string's key, or the"
                    + " managed identity's role (Storage Blob Data Reader)";
            case 404 -> ": no such blob or container; check allocator.registry.blob-url, or upload the registry"
                    + " (dps-device registry push)";
            default -> "";
        };
        return display + " answered " + e.getStatusCode() + code + advice;
    }

    private String unreachable(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + firstLine(root.getMessage());
        return display + " cannot be reached: " + root.getClass().getSimpleName() + message;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        // a message that quotes a request URL or a connection string must not carry its secret into a log
        return line.replaceAll("(?i)(sig=|AccountKey=|SharedAccessSignature=)[^&;\\s\"']+", "$1REDACTED");
    }

    @Override
    public String description() {
        return display;
    }
}
