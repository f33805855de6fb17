package io.github.dpsjwt.device;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keygen}: a device key pair, as the seed's openssl commands make it. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = { "Make a device key pair, as the seed's openssl commands do.",
                "Like 'openssl ecparam -genkey -name prime256v1 -noout' and 'openssl ec -pubout', it writes:",
                "  <name>_private.pem        SEC1 EC PRIVATE KEY (keep it on the device)",
                "  <name>_private_pkcs8.pem  the same key as PKCS#8 PRIVATE KEY",
                "  <name>_public.pem         SPKI PUBLIC KEY: the ES256_PEM credential for the registry",
                "With --rsa: an RSA key (RS256, RSA_PEM) instead." })
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = { "-o", "--out-dir" }, description = "Folder for the files (default: ${DEFAULT-VALUE}).", defaultValue = ".")
    Path outDir;

    @Option(names = { "-n", "--name" }, description = "File name prefix (default: ${DEFAULT-VALUE}).", defaultValue = "ec")
    String name;

    @Option(names = "--rsa", description = "Make a 2048-bit RSA key instead of EC P-256.")
    boolean rsa;

    @Option(names = "--force", description = "Overwrite existing files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(outDir);
        KeyPair pair = rsa ? PemKeys.generateRsa(2048) : PemKeys.generateEc();
        Path privateFile = outDir.resolve(name + "_private.pem");
        Path pkcs8File = outDir.resolve(name + "_private_pkcs8.pem");
        Path publicFile = outDir.resolve(name + "_public.pem");
        String privatePem = rsa
                ? PemKeys.pem("RSA PRIVATE KEY", org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded())
                        .parsePrivateKey().toASN1Primitive().getEncoded())
                : PemKeys.sec1Pem(pair);
        write(privateFile, privatePem, true);
        write(pkcs8File, PemKeys.pkcs8Pem(pair.getPrivate()), true);
        write(publicFile, PemKeys.publicPem(pair.getPublic()), false);
        spec.commandLine().getOut().printf("wrote %s, %s and %s (%s)%n", privateFile, pkcs8File, publicFile,
                rsa ? "RSA 2048, RS256, registry format RSA_PEM" : "EC P-256, ES256, registry format ES256_PEM");
        return 0;
    }

    private void write(Path file, String text, boolean secret) throws IOException {
        if (Files.exists(file) && !force) {
            throw new FileAlreadyExistsException(file + " exists; use --force to overwrite");
        }
        Files.writeString(file, text);
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file keeps the folder's permissions
            }
        }
    }
}
