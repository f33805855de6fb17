package io.github.dpsjwt.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobClientBuilder;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

/**
 * Where the webhook's registry lives for the {@code registry} commands: a file or one blob. Every write names
 * the version it replaces (If-Match on the blob's ETag; the file's modification time and size), so two
 * operators editing at once never lose each other's change: the second write fails with {@link Conflict}.
 */
abstract class RegistryStore {

    /** The registry's text and the version it was read at; {@code text == null} when there is no registry yet. */
    record Snapshot(byte[] text, String version) {
    }

    /** Somebody else wrote the registry since it was read. */
    static final class Conflict extends Exception {
        Conflict() {
            super(null, null, false, false);
        }
    }

    abstract Snapshot read() throws UserError;

    /**
     * @param expected the version the change was made on, or {@code null} when there was no registry
     * @throws Conflict when the registry is no longer at {@code expected}
     */
    abstract void write(byte[] text, String expected) throws UserError, Conflict;

    /** The file or blob, for messages: never a secret. */
    abstract String describe();

    /**
     * @param location a file path, or a blob's {@code https://} (or Azurite's {@code http://}) URL
     * @param connectionString the storage account's connection string for a blob URL, or {@code null}
     */
    static RegistryStore of(String location, String connectionString) throws UserError {
        if (location.startsWith("https://") || location.startsWith("http://")) {
            return new Blob(location, connectionString);
        }
        return new File(Path.of(location));
    }

    /** A local file, replaced in one step (a temporary file renamed over it), so a webhook never reads half of it. */
    static final class File extends RegistryStore {
        private final Path file;

        File(Path file) {
            this.file = file;
        }

        @Override
        Snapshot read() throws UserError {
            if (!Files.exists(file)) {
                return new Snapshot(null, null);
            }
            InputFiles.checkFile(file, "the registry");
            try {
                String version = version();
                byte[] text = Files.readAllBytes(file);
                return new Snapshot(text, version);
            } catch (IOException e) {
                throw InputFiles.cannotRead(file, "the registry", e);
            }
        }

        private String version() throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() + "/" + attributes.size() + "/" + attributes.fileKey();
        }

        @Override
        void write(byte[] text, String expected) throws UserError, Conflict {
            Path folder = file.toAbsolutePath().getParent();
            Path temporary = null;
            try {
                temporary = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
                Files.write(temporary, text);
                String now = Files.exists(file) ? version() : null;
                if (now == null ? expected != null : !now.equals(expected)) {
                    throw new Conflict();
                }
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
                temporary = null;
            } catch (IOException e) {
                throw new UserError("cannot write the registry " + file + ": " + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
            } finally {
                if (temporary != null) {
                    try {
                        Files.deleteIfExists(temporary);
                    } catch (IOException ignored) {
                        // a leftover temporary file is harmless: its name starts with a dot
                    }
                }
            }
        }

        @Override
        String describe() {
            return file.toString();
        }
    }

    /** One blob, through Azure's SDK. */
    static final class Blob extends RegistryStore {
        private final BlobClient blob;
        private final String display;

        Blob(String url, String connectionString) throws UserError {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new UserError("--registry " + url.replaceAll("\\?.*", "?…") + " is not a URL");
            }
            display = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
            Duration timeout = Duration.ofSeconds(30);
            BlobClientBuilder builder = new BlobClientBuilder()
                    .httpClient(new JdkHttpClientBuilder().connectionTimeout(timeout).responseTimeout(timeout).build())
                    // a few quick tries: an operator at a terminal wants an answer, not the SDK's minute of retries
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, (int) timeout.toSeconds(), 500L, 2_000L, null));
            try {
                if (connectionString != null && !connectionString.isBlank()) {
                    builder.connectionString(connectionString).endpoint(url);
                } else if (uri.getRawQuery() != null && uri.getRawQuery().contains("sig=")) {
                    builder.endpoint(url);
                } else {
                    builder.endpoint(url).credential(new DefaultAzureCredentialBuilder().build());
                }
                blob = builder.buildClient();
            } catch (RuntimeException e) {
                throw new UserError("cannot use the registry blob " + display + ": " + firstLine(e.getMessage())
                        + " (give a connection string with --connection-string, a SAS in the URL, or sign in with az login)");
            }
        }

        @Override
        Snapshot read() throws UserError {
            try {
                BlobDownloadContentResponse response = blob.downloadContentWithResponse(null, null, null, Context.NONE);
                return new Snapshot(response.getValue().toBytes(), response.getDeserializedHeaders().getETag());
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404) {
                    return new Snapshot(null, null);
                }
                throw refused(e, "read");
            } catch (RuntimeException e) {
                throw unreachable(e);
            }
        }

        @Override
        void write(byte[] text, String expected) throws UserError, Conflict {
            BlobRequestConditions conditions = expected == null ? new BlobRequestConditions().setIfNoneMatch("*")
                    : new BlobRequestConditions().setIfMatch(expected);
            try {
                upload(text, conditions);
            } catch (BlobStorageException e) {
                if (e.getStatusCode() == 404 && BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                    // the first registry of a new account: make its container (needs an account key or a role that may)
                    createContainerAndUpload(text, conditions);
                    return;
                }
                throw conflictOrRefused(e);
            } catch (RuntimeException e) {
                throw unreachable(e);
            }
        }

        private void upload(byte[] text, BlobRequestConditions conditions) {
            Response<BlockBlobItem> ignored = blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(text))
                    .setRequestConditions(conditions), null, Context.NONE);
        }

        private void createContainerAndUpload(byte[] text, BlobRequestConditions conditions) throws UserError, Conflict {
            try {
                blob.getContainerClient().createIfNotExists();
                upload(text, conditions);
            } catch (BlobStorageException e) {
                throw conflictOrRefused(e);
            } catch (RuntimeException e) {
                throw unreachable(e);
            }
        }

        private UserError conflictOrRefused(BlobStorageException e) throws Conflict {
            if (e.getStatusCode() == 412 || e.getStatusCode() == 409) {
                throw new Conflict();
            }
            return refused(e, "write");
        }

        private UserError refused(BlobStorageException e, String doing) {
            String code = e.getErrorCode() == null ? "" : " " + e.getErrorCode();
            String advice = switch (e.getStatusCode()) {
                case 403 -> ": access denied; check the connection string's key, the SAS (expiry, " + doing
                        + " permission) or your role on the container (Storage Blob Data " + ("read".equals(doing) ? "Reader" : "Contributor") + ")";
                case 404 -> ": the container does not exist and could not be made with these credentials; create it"
                        + " (az storage container create)";
                default -> "";
            };
            return new UserError("cannot " + doing + " the registry blob " + display + ": the store answered "
                    + e.getStatusCode() + code + advice);
        }

        private UserError unreachable(RuntimeException e) {
            Throwable root = e instanceof UncheckedIOException u ? u.getCause() : e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new UserError("cannot reach the registry blob " + display + ": " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())));
        }

        @Override
        String describe() {
            return display;
        }
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).replaceAll("(?i)(sig=)[^&\\s\"']+", "$1REDACTED");
    }
}
