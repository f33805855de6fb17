package io.github.dpsjwt.registry;

import java.util.List;
import java.util.Optional;

/**
 * The seed sample's model: one public key ({@code DEVICE_PUBLIC_KEY}) is the credential of every device.
 * Suited to a pilot; a fleet wants per-device keys from a registry file.
 */
public final class SeedKeyRegistry implements DeviceRegistry {

    private final List<Credential> credentials;

    public SeedKeyRegistry(Credential credential) {
        this.credentials = List.of(credential);
    }

    @Override
    public Optional<Device> find(String registrationId) {
        return Optional.of(new Device(registrationId, false, credentials));
    }

    @Override
    public int size() {
        return -1;
    }

    @Override
    public String description() {
        return "one key for every device (DEVICE_PUBLIC_KEY)";
    }
}
