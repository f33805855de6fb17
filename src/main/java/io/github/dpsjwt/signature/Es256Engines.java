package io.github.dpsjwt.signature;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

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

    private Es256Engines() {
    }

    /** This project's P-256 code: pure Java, available everywhere. */
    public static Es256Engine builtin() {
        return BuiltinEs256Engine.INSTANCE;
    }

    /**
     * Loads ACCP (its first load unpacks and links its native library: about half a second) and checks that it
     * accepts a signature made by the JDK and refuses the same signature with one bit changed.
     *
     * @return the engine, with a description for the log line in {@link Loaded#description()}
     * @throws EngineUnavailableException saying why ACCP cannot be used in this process
     */
    public static Loaded accp() {
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
                    + call(type, provider, "getAwsLcVersionStr"));
        } catch (ClassNotFoundException e) {
            throw new EngineUnavailableException("ACCP is not in this build (it ships with the JVM build; the Linux x86_64 library only)");
        } catch (InvocationTargetException e) {
            throw new EngineUnavailableException("ACCP is not healthy here: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | GeneralSecurityException | RuntimeException | LinkageError e) {
            throw new EngineUnavailableException("ACCP did not load: " + e, e);
        }
    }

    /** An engine that loaded, and what it is (names and versions), for the log line. */
    public record Loaded(Es256Engine engine, String description) {
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

    /** A freshly made key and signature: good verifies, one bit changed does not. */
    static void knownAnswer(Es256Engine engine) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] input = "known-answer".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(input);
        byte[] signature = signer.sign();
        Es256PublicKey key = new Es256PublicKey((ECPublicKey) pair.getPublic());
        if (!engine.verify(key, input, signature)) {
            throw new GeneralSecurityException(engine.name() + " refused a valid signature");
        }
        signature[40] ^= 1;
        if (engine.verify(key, input, signature)) {
            throw new GeneralSecurityException(engine.name() + " accepted a changed signature");
        }
    }
}
