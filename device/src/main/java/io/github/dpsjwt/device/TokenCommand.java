package io.github.dpsjwt.device;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TokenOptions claims;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(claims.mint(key, registrationId));
        return 0;
    }
}
