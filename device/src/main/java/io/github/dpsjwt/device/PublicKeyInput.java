package io.github.dpsjwt.device;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The {@code --key} of the registry commands: a PEM file's path or the PEM text, checked as the webhook would use it. */
final class PublicKeyInput {

    /** A usable key: its Google Cloud IoT Core format and its PEM text. */
    record Key(String format, String pem) {
    }

    private PublicKeyInput() {
    }

    static Key read(String value) throws UserError {
        String pem;
        if (value.strip().startsWith("-----BEGIN ")) {
            pem = value.strip().replace("\\n", "\n");
        } else {
            Path file;
            try {
                file = Path.of(value);
            } catch (InvalidPathException e) {
                throw new UserError("--key " + value + " is neither a PEM file nor PEM text");
            }
            pem = InputFiles.readText(file, "the public key").strip();
            if (!Files.isRegularFile(file) || !pem.startsWith("-----BEGIN ")) {
                throw new UserError("--key " + value + " is not a PEM file: give the device's public key"
                        + " (dps-device keygen writes it as <name>_public.pem)");
            }
        }
        if (pem.contains("PRIVATE KEY-----")) {
            throw new UserError("--key is a private key: give the device's public key (dps-device keygen writes it"
                    + " beside the private one, as <name>_public.pem); a private key never goes in the registry");
        }
        boolean certificate = pem.startsWith("-----BEGIN CERTIFICATE-----");
        String ecFormat = certificate ? "ES256_X509_PEM" : "ES256_PEM";
        String rsaFormat = certificate ? "RSA_X509_PEM" : "RSA_PEM";
        String ec = KeyCheck.problem(ecFormat, pem);
        if (ec == null) {
            return new Key(ecFormat, pem + "\n");
        }
        String rsa = KeyCheck.problem(rsaFormat, pem);
        if (rsa == null) {
            return new Key(rsaFormat, pem + "\n");
        }
        // the check of the key's own type says what is wrong; the other type's only says it is not that type
        String why = !ec.startsWith("unreadable") ? ec : !rsa.startsWith("unreadable") ? rsa
                : "the PEM does not hold a readable public key";
        if (why.startsWith("not an EC P-256 key")) {
            throw new UserError("--key is an EC key on another curve: the webhook verifies ES256 (P-256) and RS256"
                    + " (RSA, 2048 bits or more) tokens only");
        }
        throw new UserError("--key cannot be used: " + why);
    }
}
