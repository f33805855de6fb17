package io.github.dpsjwt.registry;

import java.util.Map;
import java.util.Optional;

/**
 * Per-device credentials read from a Google Cloud IoT Core registry export by {@link RegistryFileReader}.
 */
public final class ExportFileRegistry implements DeviceRegistry {

    private final String source;
    private final Map<String, Device> devices;

    /**
     * @param source where the devices came from, for descriptions
     * @param devices devices keyed by {@link RegistrationIds#normalize(String) normalized} registration id
     */
    public ExportFileRegistry(String source, Map<String, Device> devices) {
        this.source = source;
        this.devices = devices;
    }

    @Override
    public Optional<Device> find(String registrationId) {
        return Optional.ofNullable(devices.get(RegistrationIds.normalize(registrationId)));
    }

    @Override
    public int size() {
        return devices.size();
    }

    @Override
    public String description() {
        return devices.size() + " devices from " + source;
    }

    /** The device with this normalized id, or {@code null}. */
    Device device(String normalizedId) {
        return devices.get(normalizedId);
    }

    /** The devices, for the warm-up pass that parses every key once. */
    Iterable<Device> devices() {
        return devices.values();
    }
}
