package io.github.dpsjwt.hosting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the JVM-mode package ships. BouncyCastle's jar must arrive without its signature: a signed jar
 * costs ~150 ms of start-up (the JVM checks the signature when the first class loads) and keeps its
 * classes out of the AOT cache / AppCDS (see {@code quarkus.class-loading.removed-resources}).
 */
class PackagingIT {

    static final Path LIB = Path.of("target", "quarkus-app", "lib", "main");

    @Test
    void shouldShipBouncyCastleWithoutItsSignature() throws IOException {
        Assumptions.assumeFalse(!Files.isDirectory(LIB)
                && Files.isExecutable(Path.of(System.getProperty("native.image.path", "target/none-runner"))),
                "native build: no jar package to check");
        List<Path> jars;
        try (Stream<Path> files = Files.list(LIB)) {
            jars = files.filter(f -> f.getFileName().toString().startsWith("org.bouncycastle.bcprov-")).toList();
        }
        assertEquals(1, jars.size(), "bcprov in " + LIB);
        try (JarFile jar = new JarFile(jars.get(0).toFile())) {
            List<String> signatures = jar.stream().map(e -> e.getName())
                    .filter(name -> name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")).toList();
            assertEquals(List.of(), signatures, "signature files left in " + jars.get(0)
                    + ": list them in quarkus.class-loading.removed-resources");
            assertTrue(jar.getEntry("org/bouncycastle/math/raw/Nat256.class") != null, "the field arithmetic P256 uses");
        }
    }
}
