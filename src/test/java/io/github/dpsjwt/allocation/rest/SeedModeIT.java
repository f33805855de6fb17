package io.github.dpsjwt.allocation.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Every seed-mode HTTP test again, on the packaged application (the jar, or the native binary with -Dnative). */
@QuarkusIntegrationTest
class SeedModeIT extends SeedModeTest {
}
