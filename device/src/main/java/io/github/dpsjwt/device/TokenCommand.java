package io.github.dpsjwt.device;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code token}: a device JWT, printed. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Mint a device JWT: ES256 for an EC key, RS256 for an RSA key; iat, exp, optional aud and the seed's registration_id claim.")
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = { "-k", "--key" }, required = true, description = "The device's private key PEM (SEC1, PKCS#8 or PKCS#1).")
    Path key;

    @Option(names = { "-r", "--registration-id" }, required = true, description = "The device's DPS registration id.")
    String registrationId;

    @Option(names = { "-l", "--lifetime" }, defaultValue = "PT1H", converter = Durations.class,
            description = "exp - iat, e.g. 30m, 1h, 24h (default 1h, at most 24h).")
    Duration lifetime;

    @Option(names = { "-a", "--aud" }, description = "The aud claim (Google devices used their cloud project id).")
    String audience;

    @Override
    public Integer call() throws Exception {
        String token = DeviceTokens.mint(PemKeys.readPrivateKey(Files.readString(key)), registrationId, lifetime, audience,
                Instant.now());
        spec.commandLine().getOut().println(token);
        return 0;
    }
}
