package io.github.dpsjwt.registry;

import java.util.List;

/**
 * A device as the registry knows it.
 *
 * @param id the registration id as written in the registry
 * @param blocked whether the device is refused whatever it presents
 * @param credentials the keys it may sign with (Google Cloud IoT Core allowed up to three at once)
 */
public record Device(String id, boolean blocked, List<Credential> credentials) {

    public Device {
        credentials = List.copyOf(credentials);
    }
}
