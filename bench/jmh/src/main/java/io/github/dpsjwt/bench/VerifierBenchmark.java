package io.github.dpsjwt.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.github.dpsjwt.registry.Credential;
import io.github.dpsjwt.registry.Device;
import io.github.dpsjwt.registry.KeyOwners;
import io.github.dpsjwt.registry.KeyFormat;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.signature.FastEs256Algorithm;
import io.github.dpsjwt.token.DeviceTokenVerifier;

/**
 * The webhook's whole per-request cost but HTTP: {@link DeviceTokenVerifier#verify} over 10,000 devices,
 * each with its own key, each call a different device and token.
 *
 * <ul>
 * <li>{@code path=p256}: keys as the registry hands them out (verify-ready, the webhook's own P-256 code);</li>
 * <li>{@code path=accp}: the same keys, verified by the ACCP engine ({@code allocator.token.engine=auto}'s choice in
 * the JVM build);</li>
 * <li>{@code path=jca}: the same keys as plain JDK keys, verified by jose4j through the JCA (SunEC): the
 * stock SmallRye JWT path, for comparison.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifierBenchmark {

    static final int DEVICES = 10_000;

    @Param({ "p256", "accp", "jca" })
    public String path;

    Device[] devices;
    String[] tokens;
    DeviceTokenVerifier verifier;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Fleet fleet = new Fleet(DEVICES);
        devices = new Device[DEVICES];
        tokens = new String[DEVICES];
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < DEVICES; i++) {
            Credential credential = path.equals("jca")
                    ? Credential.of(fleet.keys[i].getPublic(), null, KeyOwners.ONE_DEVICE)
                    : new Credential(fleet.publicPem(i), KeyFormat.ES256_PEM, null, KeyOwners.ONE_DEVICE);
            credential.key();
            devices[i] = new Device(Fleet.id(i), false, List.of(credential));
            tokens[i] = fleet.token(i, now, 3600, 0);
        }
        if (path.equals("jca") && devices[0].credentials().get(0).key().getClass().getName().contains("Es256")) {
            throw new IllegalStateException("jca path must use plain JDK keys");
        }
        FastEs256Algorithm.use(path.equals("accp") ? Es256Engines.accp().engine() : Es256Engines.builtin());
        verifier = new DeviceTokenVerifier(Optional.empty(), Duration.ofHours(24), Duration.ofMinutes(10), Clock.systemUTC());
    }

    public static class Cursor {
        int next;
    }

    @State(Scope.Thread)
    public static class ThreadCursor extends Cursor {
    }

    @Benchmark
    public Object verify(ThreadCursor cursor) {
        int i = cursor.next;
        cursor.next = (i + 1) % DEVICES;
        return verifier.verify(tokens[i], devices[i], devices[i].id());
    }

}
