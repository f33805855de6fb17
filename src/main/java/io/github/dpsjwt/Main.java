package io.github.dpsjwt;

import io.github.dpsjwt.signature.Es256Engines;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The launcher of the jar and the native binary: starts loading the ES256 engine ACCP beside Quarkus's boot (on the
 * JVM it takes about half a second, which would otherwise come after the boot, while the first devices wait), then
 * runs Quarkus. The Functions Java worker boots Quarkus itself and loads ACCP at start-up instead.
 */
@QuarkusMain
public final class Main {

    /** Quarkus makes the launcher a bean: a constructor it can call without reflection. */
    Main() {
    }

    public static void main(String... args) {
        Es256Engines.preload();
        Quarkus.run(args);
    }
}
