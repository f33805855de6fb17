package io.github.dpsjwt.device;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;

import picocli.CommandLine.Option;

/** The claims a minted device token carries beyond its registration id: shared by token, simulate and provision. */
final class TokenOptions {

    @Option(names = { "-l", "--lifetime" }, defaultValue = "PT1H", converter = Durations.class,
            description = "Token lifetime (exp - iat), e.g. 30m, 1h, 24h (default 1h, at most 24h).")
    Duration lifetime;

    @Option(names = { "-a", "--aud" }, description = "The token's aud claim (Google devices used their cloud project id).")
    String audience;

    /** A token for {@code registrationId}, signed with the private key in {@code keyFile}. */
    String mint(Path keyFile, String registrationId) throws Exception {
        String pem = InputFiles.readText(keyFile, "the private key");
        PrivateKey key;
        try {
            key = PemKeys.readPrivateKey(pem);
        } catch (IOException | RuntimeException e) {
            throw new UserError(keyFile + " holds no usable private key: " + e.getMessage()
                    + "; give the device's private key PEM, as 'dps-device keygen' or openssl wrote it");
        }
        return DeviceTokens.mint(key, registrationId, lifetime, audience, Instant.now());
    }
}
