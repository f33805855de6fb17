package io.github.dpsjwt.registry.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the registry's export text lives (a file, a blob), asked for new versions by
 * {@link io.github.dpsjwt.registry.RegistryHolder} every {@code allocator.registry.refresh}.
 */
public interface RegistrySource {

    /** One version of the registry as the source holds it. */
    interface Version {

        /** Names this version: a blob's ETag, a file's modification time, size and identity. */
        String tag();

        /** The size in bytes, or -1 when unknown. */
        long size();

        /** When the source says this version was written, or {@code null} when it does not say. */
        Instant modifiedAt();

        /**
         * Opens this version's text for one read.
         *
         * @throws VersionGoneException when the source no longer holds this version (it changed since it was found)
         */
        InputStream open() throws IOException;

        /** Whether the source still holds this version after it was read (a file can be rewritten while read). */
        default boolean stillCurrent() throws IOException {
            return true;
        }
    }

    /** Opens a version's text. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** Says whether the source still holds a version. */
    @FunctionalInterface
    interface Current {
        boolean stillCurrent() throws IOException;
    }

    /**
     * A version as a source found it.
     *
     * @param tag see {@link Version#tag()}
     * @param size see {@link Version#size()}
     * @param modifiedAt see {@link Version#modifiedAt()}
     * @param opener opens its text
     * @param current whether the source still holds it after the read
     */
    record Found(String tag, long size, Instant modifiedAt, Opener opener, Current current) implements Version {
        @Override
        public InputStream open() throws IOException {
            return opener.open();
        }

        @Override
        public boolean stillCurrent() throws IOException {
            return current.stillCurrent();
        }
    }

    /** The version found when the source was asked has been replaced: read the new one at the next check. */
    final class VersionGoneException extends IOException {
        public VersionGoneException(String message) {
            super(message, null);
        }
    }

    /**
     * @param knownTag the tag of the version read last (good or not), or {@code null} for none
     * @return the source's current version, or empty when it is still {@code knownTag}
     * @throws IOException when the source cannot be reached or refuses; its message says what to check,
     *         without secrets
     */
    Optional<Version> changedSince(String knownTag) throws IOException;

    /** What the source is, for logs and health output: never a secret (no SAS, no connection string). */
    String description();
}
