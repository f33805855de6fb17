package io.github.dpsjwt.signature;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

import io.quarkus.runtime.ImageMode;

/**
 * The ES256 engines and how one is loaded. The builtin one is always there. ACCP (Amazon Corretto Crypto
 * Provider, AWS-LC's ECDSA behind JNI) ships with the JVM build for Linux x86_64, is reached by name only (the
 * native build neither carries nor references it: a native image cannot load its JNI library), and is used only
 * after it has passed a known-answer check here.
 */
public final class Es256Engines {

    /** ACCP's provider class, looked up by name so that a build without the jar still compiles and runs. */
    static final String ACCP_PROVIDER = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private static final HexFormat HEX = HexFormat.of();
    /** The known answer's public key (X.509). */
    private static final String KNOWN_KEY = "3059301306072a8648ce3d020106082a8648ce3d03010703420004b103d325f4c60250facfd41eece8"
            + "fe64443acb8d1e42414f8a543b9df573dde103a307840484100084117ce92242b18ed0718e6f67482affa0efc61584c1d728";
    /** The known answer's signature (r||s) of {@code "known-answer"} with SHA-256. */
    private static final String KNOWN_SIGNATURE = "df7cb1807a6ca66d269cd68a48dff1f2e5af76109c5d9a74225190c346b2761c"
            + "b79d8721a5c5bf9e61b911e5371f988dd4330b18ff97e90f7f8659ba0339494b";

    private static final String PRELOAD_THREAD = "accp-preload";
    /** The loading of ACCP, once begun. */
    private static final AtomicReference<FutureTask<Loaded>> ACCP = new AtomicReference<>();

    private Es256Engines() {
    }

    /** This project's P-256 code: pure Java, available everywhere. */
    public static Es256Engine builtin() {
        return BuiltinEs256Engine.INSTANCE;
    }

    /**
     * Starts loading ACCP on a thread of its own, so that it is ready sooner: called by the launcher before Quarkus
     * boots, so that ACCP's half second of loading and self-tests runs beside the boot. Does nothing in a native
     * binary, or when the loading has begun.
     */
    public static void preload() {
        if (ImageMode.current() != ImageMode.NATIVE_RUN && ACCP.get() == null) {
            Thread loader = new Thread(Es256Engines::accpTask, PRELOAD_THREAD);
            loader.setDaemon(true);
            loader.start();
        }
    }

    /**
     * Loads ACCP, or waits for the loading that {@link #preload} began (its first load unpacks and links its native
     * library, and runs its self-tests: about half a second), and checks that it accepts a known signature and
     * refuses the same signature with one bit changed. The outcome is kept: later calls return it at once.
     *
     * @return the engine, with a description for the log line in {@link Loaded#description()}
     * @throws EngineUnavailableException saying why ACCP cannot be used in this process
     */
    public static Loaded accp() {
        try {
            return accpTask().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof EngineUnavailableException unavailable ? unavailable
                    : new EngineUnavailableException("ACCP did not load: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException("ACCP's loading was interrupted", e);
        }
    }

    /** The one loading of ACCP in this process, run by the first thread that gets here. */
    private static FutureTask<Loaded> accpTask() {
        FutureTask<Loaded> task = ACCP.get();
        if (task == null) {
            FutureTask<Loaded> created = new FutureTask<>(Es256Engines::loadAccp);
            task = ACCP.compareAndExchange(null, created);
            if (task == null) {
                task = created;
                created.run();
            }
        }
        return task;
    }

    private static Loaded loadAccp() {
        long started = System.nanoTime();
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            throw new EngineUnavailableException("a native binary cannot load ACCP's JNI library");
        }
        Provider provider;
        try {
            Class<?> type = Class.forName(ACCP_PROVIDER);
            provider = (Provider) type.getField("INSTANCE").get(null);
            type.getMethod("assertHealthy").invoke(provider);
            Es256Engine engine = new JcaEs256Engine("accp", provider);
            knownAnswer(engine);
            return new Loaded(engine, "Amazon Corretto Crypto Provider " + call(type, provider, "getVersionStr") + ", "
                    + call(type, provider, "getAwsLcVersionStr"), (System.nanoTime() - started) / 1_000_000,
                    Thread.currentThread().getName().equals(PRELOAD_THREAD));
        } catch (ClassNotFoundException e) {
            throw new EngineUnavailableException("ACCP is not in this build (it ships with the JVM build; the Linux x86_64 library only)");
        } catch (InvocationTargetException e) {
            throw new EngineUnavailableException("ACCP is not healthy here: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | GeneralSecurityException | RuntimeException | LinkageError e) {
            throw new EngineUnavailableException("ACCP did not load: " + e, e);
        }
    }

    /**
     * An engine that loaded, and for the log line what it is (names and versions), how long its loading and check
     * took, and whether {@link #preload} ran them (beside Quarkus's boot).
     */
    public record Loaded(Es256Engine engine, String description, long millis, boolean preloaded) {
    }

    /** Why an engine cannot be used in this process; the message says it in a sentence fit for a log line. */
    public static final class EngineUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message why, as a sentence's end: "ACCP is not in this build", say */
        public EngineUnavailableException(String message) {
            super(message);
        }

        EngineUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static String call(Class<?> type, Provider provider, String method) throws ReflectiveOperationException {
        return String.valueOf(type.getMethod(method).invoke(provider));
    }

    /**
     * A known answer: a P-256 key and its signature of {@code "known-answer"} (made once with the JDK) verify, and the
     * same signature with one bit changed does not. Fixed, so that the check costs no key generation at start-up.
     */
    static void knownAnswer(Es256Engine engine) throws GeneralSecurityException {
        Es256PublicKey key = new Es256PublicKey((ECPublicKey) KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(HEX.parseHex(KNOWN_KEY))));
        byte[] input = "known-answer".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = HEX.parseHex(KNOWN_SIGNATURE);
        if (!engine.verify(key, input, signature)) {
            throw new GeneralSecurityException(engine.name() + " refused a valid signature");
        }
        signature[40] ^= 1;
        if (engine.verify(key, input, signature)) {
            throw new GeneralSecurityException(engine.name() + " accepted a changed signature");
        }
    }
}
