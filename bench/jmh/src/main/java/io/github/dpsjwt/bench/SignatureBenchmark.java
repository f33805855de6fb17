package io.github.dpsjwt.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256Engines;
import io.github.dpsjwt.signature.Es256PublicKey;

/**
 * The signature check alone (SHA-256 digest already taken), over 10,000 keys with a distinct signature
 * each, by engine:
 *
 * <ul>
 * <li>{@code engine=p256}: the webhook's own P-256 code ({@link Es256PublicKey#verify});</li>
 * <li>{@code engine=bouncycastle}: BouncyCastle's {@link ECDSASigner}, one key object per device kept
 * (so its precomputed tables are kept too), a signer per thread;</li>
 * <li>{@code engine=sunec}: the JDK's {@code SHA256withECDSAinP1363Format} (it hashes too);</li>
 * <li>{@code engine=accp}: the webhook's ACCP engine ({@link Es256Engines#accp()}) as it runs: it hashes, turns r||s
 * into DER and hands a plain key to ACCP each time;</li>
 * <li>{@code engine=conscrypt}: Conscrypt's (BoringSSL's) {@code SHA256withECDSA}, the alternative to ACCP
 * measured (the webhook does not ship it), with the DER signatures made in advance and a plain key each time.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureBenchmark {

    static final int KEYS = 10_000;
    static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN());

    @Param({ "p256", "accp", "conscrypt", "bouncycastle", "sunec" })
    public String engine;

    /**
     * How many keys keep their tables. For {@code engine=p256}, 0 keeps none, so every verification is
     * like a key's first, with a small table made for it; for {@code engine=bouncycastle}, 0 verifies
     * with a fresh point each time (no tables from earlier uses), any other value keeps all of them.
     */
    @Param({ "10000" })
    public int warmKeys;

    Es256PublicKey[] keys;
    ECPublicKeyParameters[] bcKeys;
    ECPublicKey[] jdkKeys;
    byte[][] inputs;
    byte[][] digests;
    byte[][] signatures;
    byte[][] derSignatures;
    Es256Engine accp;
    Provider conscrypt;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Es256PublicKey.setWarmCapacity(warmKeys);
        Fleet fleet = new Fleet(KEYS);
        keys = new Es256PublicKey[KEYS];
        bcKeys = new ECPublicKeyParameters[KEYS];
        jdkKeys = new ECPublicKey[KEYS];
        inputs = new byte[KEYS][];
        digests = new byte[KEYS][];
        signatures = new byte[KEYS][];
        derSignatures = new byte[KEYS][];
        if (engine.equals("accp")) {
            accp = Es256Engines.accp().engine();
        }
        if (engine.equals("conscrypt")) {
            conscrypt = (Provider) Class.forName("org.conscrypt.Conscrypt").getMethod("newProvider").invoke(null);
        }
        for (int i = 0; i < KEYS; i++) {
            ECPublicKey key = (ECPublicKey) fleet.keys[i].getPublic();
            jdkKeys[i] = key;
            keys[i] = new Es256PublicKey(key);
            bcKeys[i] = new ECPublicKeyParameters(CURVE.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()), DOMAIN);
            String token = fleet.token(i, 1_800_000_000L, 3600, i);
            int dot = token.lastIndexOf('.');
            inputs[i] = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
            digests[i] = MessageDigest.getInstance("SHA-256").digest(inputs[i]);
            signatures[i] = java.util.Base64.getUrlDecoder().decode(token.substring(dot + 1));
            ASN1EncodableVector rs = new ASN1EncodableVector();
            rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(signatures[i], 0, 32))));
            rs.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(signatures[i], 32, 64))));
            derSignatures[i] = new DERSequence(rs).getEncoded();
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        final ECDSASigner signer = new ECDSASigner();
        Signature sunec;
        Signature conscrypt;

        @Setup
        public void setUp(SignatureBenchmark benchmark) throws Exception {
            sunec = Signature.getInstance("SHA256withECDSAinP1363Format");
            if (benchmark.conscrypt != null) {
                conscrypt = Signature.getInstance("SHA256withECDSA", benchmark.conscrypt);
            }
        }
    }

    @Benchmark
    public boolean verify(Cursor cursor) throws Exception {
        int i = cursor.next;
        cursor.next = (i + 1) % KEYS;
        boolean valid;
        switch (engine) {
            case "p256" -> valid = keys[i].verify(digests[i], signatures[i]);
            case "accp" -> valid = accp.verify(keys[i], inputs[i], signatures[i]);
            case "conscrypt" -> {
                cursor.conscrypt.initVerify(jdkKeys[i]);
                cursor.conscrypt.update(inputs[i]);
                valid = cursor.conscrypt.verify(derSignatures[i]);
            }
            case "bouncycastle" -> {
                // warmKeys=0: a fresh point, so no tables BouncyCastle hung on an earlier use of the key
                cursor.signer.init(false, warmKeys > 0 ? bcKeys[i] : new ECPublicKeyParameters(
                        CURVE.getCurve().createPoint(jdkKeys[i].getW().getAffineX(), jdkKeys[i].getW().getAffineY()), DOMAIN));
                valid = cursor.signer.verifySignature(digests[i], new BigInteger(1, Arrays.copyOfRange(signatures[i], 0, 32)),
                        new BigInteger(1, Arrays.copyOfRange(signatures[i], 32, 64)));
            }
            default -> {
                cursor.sunec.initVerify(jdkKeys[i]);
                cursor.sunec.update(inputs[i]);
                valid = cursor.sunec.verify(signatures[i]);
            }
        }
        if (!valid) {
            throw new IllegalStateException("signature " + i + " did not verify");
        }
        return valid;
    }
}
