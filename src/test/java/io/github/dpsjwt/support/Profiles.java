package io.github.dpsjwt.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The configurations the HTTP tests start the webhook in. */
public final class Profiles {

    private Profiles() {
    }

    /** The seed's model: DEVICE_PUBLIC_KEY for every device, no fixed hub. */
    public static class Seed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()));
        }
    }

    /** The seed's model with its IOT_HUB_HOSTNAME and an initial twin. */
    public static class SeedWithHub implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()).replace("\n", "\\n"),
                    "IOT_HUB_HOSTNAME", "hub-b.azure-devices.net",
                    "allocator.allocation.initial-twin",
                    "{\"tags\":{\"migratedFrom\":\"gcp-iot-core\"},\"properties\":{\"desired\":{\"telemetryInterval\":60}}}");
        }
    }

    /** Per-device keys from a registry export file, and caller keys as on Container Apps. */
    public static class Registry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("allocator.registry.file", TestFleet.registryFile().toString(),
                    "allocator.caller.keys", "old-key, new-key",
                    "allocator.token.audiences", "my-gcp-project");
        }
    }

    /** Nothing configured: the webhook must stay not ready. */
    public static class NoKeys implements QuarkusTestProfile {
    }

    /** A seed key that is not a usable public key. */
    public static class BadSeedKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DEVICE_PUBLIC_KEY", Keys.pem(Keys.ec("secp384r1").getPublic()));
        }
    }

    /** A registry file that cannot be read. */
    public static class MissingFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("allocator.registry.file", "/nonexistent/registry.json");
        }
    }

    /** The seed key, a caller key, and a short request timeout: what the hostile-client tests attack. */
    public static class Hostile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()),
                    "allocator.caller.keys", "s3cret-caller-key",
                    "allocator.http.request-timeout", "1s");
        }
    }
}
