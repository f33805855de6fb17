package io.github.dpsjwt.allocation.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Every registry-mode HTTP test again, on the packaged application (the jar, or the native binary with -Dnative). */
@QuarkusIntegrationTest
class RegistryModeIT extends RegistryModeTest {
}
