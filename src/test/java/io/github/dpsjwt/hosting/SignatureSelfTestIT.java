package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.support.Keys;
import io.github.dpsjwt.support.TestFleet;

/**
 * The Wycheproof vectors through the signature code of the packaged application itself: on a native build, the
 * binary's own compiled code, which the JVM tests never run. The webhook runs them at start-up
 * ({@code allocator.token.self-test-vectors}) through every ES256 engine it may use, and is ready only once all
 * agree; its start-up line names the engine in use.
 */
class SignatureSelfTestIT {

    @Test
    void shouldAgreeWithEveryVectorInThePackagedApplication() throws Exception {
        String output;
        try (PackagedApp app = PackagedApp.start(Map.of("DEVICE_PUBLIC_KEY", Keys.pem(TestFleet.EC.getPublic()),
                "ALLOCATOR_TOKEN_SELF_TEST_VECTORS", Path.of("src/test/resources/wycheproof").toAbsolutePath().toString()))) {
            app.awaitReady(HttpClient.newHttpClient());
            app.close();
            output = app.output();
        }
        assertTrue(output.matches("(?s).*signature self-test: \\d+ vectors from .*, all agree.*"), output);
        // the JVM build carries ACCP, loads it beside the boot (Main) and checks it too; the native binary has the
        // builtin engine only, and says why
        if (PackagedApp.isNative()) {
            assertTrue(output.contains(" through builtin, all agree"), output);
            assertTrue(output.contains("ES256 signatures: builtin P-256 code (allocator.token.engine=auto; ACCP not used: "
                    + "a native binary cannot load ACCP's JNI library)"), output);
        } else {
            assertTrue(output.contains(" through builtin, accp, all agree"), output);
            assertTrue(output.matches("(?s).*ES256 signatures: accp \\(Amazon Corretto Crypto Provider 2\\.5\\.0, AWS-LC v[0-9.]+, "
                    + "allocator\\.token\\.engine=auto\\), loaded in \\d+ ms beside the boot;.*"), output);
        }
        System.out.println(output.lines().filter(line -> line.contains("signature self-test")).findFirst().orElse(""));
    }
}
