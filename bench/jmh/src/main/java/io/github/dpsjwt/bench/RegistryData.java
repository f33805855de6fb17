package io.github.dpsjwt.bench;

import java.io.BufferedWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Writes the registry benchmark's inputs: a registry of N devices, each with a P-256 key of its own (made with
 * BouncyCastle's fixed-point multiplication, so a million keys take seconds and are not held in memory), and one
 * request body for device 0, whose token its key signs.
 *
 * <pre>java -cp ... io.github.dpsjwt.bench.RegistryData &lt;devices&gt; &lt;out dir&gt;</pre>
 */
public final class RegistryData {

    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        long started = System.nanoTime();
        Fleet first = new Fleet(1);
        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
        SecureRandom random = new SecureRandom();
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        try (BufferedWriter registry = Files.newBufferedWriter(out.resolve("registry.json"))) {
            registry.write("[\n");
            for (int i = 0; i < devices; i++) {
                String key;
                if (i == 0) {
                    key = first.publicPem(0).replace("\n", "\\n");
                } else {
                    BigInteger d = new BigInteger(256, random).mod(p256.getN().subtract(BigInteger.ONE)).add(BigInteger.ONE);
                    ECPoint q = multiplier.multiply(p256.getG(), d).normalize();
                    byte[] spki = new byte[SPKI_PREFIX.length + 65];
                    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
                    spki[SPKI_PREFIX.length] = 4;
                    System.arraycopy(q.getAffineXCoord().getEncoded(), 0, spki, SPKI_PREFIX.length + 1, 32);
                    System.arraycopy(q.getAffineYCoord().getEncoded(), 0, spki, SPKI_PREFIX.length + 33, 32);
                    // the PEM's line breaks written as JSON escapes
                    key = ("-----BEGIN PUBLIC KEY-----\n" + pem.encodeToString(spki) + "\n-----END PUBLIC KEY-----\n").replace("\n", "\\n");
                }
                registry.write((i == 0 ? "" : ",\n") + "{\"id\":\"" + Fleet.id(i) + "\",\"numId\":\"" + (1_000_000 + i)
                        + "\",\"blocked\":false,\"credentials\":[{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":\""
                        + key + "\"},\"expirationTime\":\"1970-01-01T00:00:00Z\"}]}");
            }
            registry.write("\n]\n");
        }
        long now = System.currentTimeMillis() / 1000;
        Files.writeString(out.resolve("first.json"), "{\"deviceRuntimeContext\":{\"registrationId\":\"" + Fleet.id(0)
                + "\",\"symmetricKey\":{},\"payload\":{\"jwt\":\"" + first.token(0, now, 3600, 0) + "\"}},"
                + "\"linkedHubs\":[\"hub-a.azure-devices.net\",\"hub-b.azure-devices.net\"]}\n");
        System.out.printf("wrote %d devices to %s in %d ms%n", devices, out, (System.nanoTime() - started) / 1_000_000);
    }
}
