package io.github.dpsjwt.registry;

import java.util.Optional;

/**
 * Where device credentials come from: a registration id in, the device's record out. New sources (a
 * Blob-hosted file, a table) implement this without touching token verification.
 */
public interface DeviceRegistry {

    /**
     * @param registrationId a valid DPS registration id, in any case
     * @return the device, or empty when the registry does not know it
     */
    Optional<Device> find(String registrationId);

    /** How many devices the registry holds, or -1 when it answers for any id. */
    int size();

    /** A short description for logs and health output, never containing key material. */
    String description();
}
