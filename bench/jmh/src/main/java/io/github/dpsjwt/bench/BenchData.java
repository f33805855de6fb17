package io.github.dpsjwt.bench;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the HTTP benchmark's inputs: a registry file of N devices (Google Cloud IoT Core export
 * shape) and request bodies, one per line, each with a freshly minted token (valid one hour).
 *
 * <pre>java -cp ... io.github.dpsjwt.bench.BenchData &lt;devices&gt; &lt;tokens per device&gt; &lt;out dir&gt;</pre>
 */
public final class BenchData {

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(args[0]);
        int perDevice = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        long started = System.nanoTime();
        Fleet fleet = new Fleet(devices);

        try (BufferedWriter registry = Files.newBufferedWriter(out.resolve("registry.json"))) {
            registry.write("[\n");
            for (int i = 0; i < devices; i++) {
                registry.write((i == 0 ? "" : ",\n") + "{\"id\":\"" + Fleet.id(i) + "\",\"numId\":\"" + (1_000_000 + i)
                        + "\",\"blocked\":false,\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":\""
                        + fleet.publicPem(i).replace("\n", "\\n") + "\"},\"expirationTime\":\"1970-01-01T00:00:00Z\"}]}");
            }
            registry.write("\n]\n");
        }

        Files.writeString(out.resolve("seed.pem"), fleet.publicPem(0));
        long now = System.currentTimeMillis() / 1000;
        try (BufferedWriter bodies = Files.newBufferedWriter(out.resolve("bodies.txt"))) {
            // rounds outermost, so consecutive requests name different devices
            for (int round = 0; round < perDevice; round++) {
                for (int i = 0; i < devices; i++) {
                    String id = Fleet.id(i);
                    bodies.write("{\"enrollmentGroup\":{\"enrollmentGroupId\":\"bench\",\"attestation\":{\"type\":\"symmetricKey\"}},"
                            + "\"deviceRuntimeContext\":{\"registrationId\":\"" + id + "\",\"symmetricKey\":{},\"payload\":{\"jwt\":\""
                            + fleet.token(i, now, 3600, round) + "\"}},"
                            + "\"linkedHubs\":[\"hub-a.azure-devices.net\",\"hub-b.azure-devices.net\",\"hub-c.azure-devices.net\"]}\n");
                }
            }
        }
        System.out.printf("wrote %d devices and %d request bodies to %s in %d ms%n", devices, devices * perDevice, out,
                (System.nanoTime() - started) / 1_000_000);
    }
}
