package io.github.dpsjwt.registry.source;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * A registry file ({@code allocator.registry.file}), read again when its modification time, size or identity
 * changes: an edit in place, a copy over it, an atomic rename onto it, or a mounted volume's symlink swap.
 */
public final class FileSource implements RegistrySource {

    private static final String SETTING = " (allocator.registry.file, env ALLOCATOR_REGISTRY_FILE)";

    private final Path file;

    public FileSource(Path file) {
        this.file = file;
    }

    /** The file this source reads. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<Version> changedSince(String knownTag) throws IOException {
        BasicFileAttributes attributes = attributes();
        String tag = tag(attributes);
        if (tag.equals(knownTag)) {
            return Optional.empty();
        }
        return Optional.of(new Found(tag, attributes.size(), attributes.lastModifiedTime().toInstant(),
                () -> Files.newInputStream(file), () -> tag.equals(tag(attributes()))));
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new IOException("registry file " + file + " is a folder: name the registry file itself" + SETTING);
            }
            return attributes;
        } catch (NoSuchFileException e) {
            throw new IOException("registry file " + file + " does not exist: check the path" + SETTING, e);
        } catch (AccessDeniedException e) {
            throw new IOException("registry file " + file + " cannot be read: permission denied for this process", e);
        }
    }

    private static String tag(BasicFileAttributes attributes) {
        // readable in readiness output; the file key (device and inode) tells a file renamed onto the path
        Object identity = attributes.fileKey();
        return attributes.lastModifiedTime().toInstant() + " " + attributes.size() + " bytes"
                + (identity == null ? "" : " #" + Integer.toHexString(identity.hashCode()));
    }

    @Override
    public String description() {
        return "registry file " + file;
    }
}
