package io.github.dpsjwt.device;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code registry}: the webhook's device registry managed as Google Cloud IoT Core's device manager did, on a file
 * or a blob. Every write is checked first (ids, keys, at most three credentials) and names the version it
 * replaces, so concurrent edits never overwrite each other: a conflicting edit reads the registry again and is
 * made again, up to {@value #ATTEMPTS} times.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = { "Manage the webhook's device registry, a file or a blob, as 'gcloud iot devices' did. Every replica"
                + " of the webhook takes a change within ALLOCATOR_REGISTRY_REFRESH (30 s by default) plus its reload." },
        subcommands = { RegistryCommand.ListDevices.class, RegistryCommand.Show.class, RegistryCommand.Add.class,
                RegistryCommand.Remove.class, RegistryCommand.Block.class, RegistryCommand.Unblock.class,
                RegistryCommand.AddCredential.class, RegistryCommand.RemoveCredential.class, RegistryCommand.Push.class,
                RegistryCommand.Pull.class })
final class RegistryCommand implements Callable<Integer> {

    static final int ATTEMPTS = 5;
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** Where the registry is, and the blob's credentials: the same settings as the webhook's (a picocli mixin). */
    static final class Location {
        @Option(names = { "-r", "--registry" }, paramLabel = "FILE|URL",
                defaultValue = "${env:ALLOCATOR_REGISTRY_BLOB_URL:-${env:ALLOCATOR_REGISTRY_FILE}}",
                description = { "The registry file, or the blob's URL (https://account.blob.core.windows.net/registry/registry.json,"
                        + " a SAS in it is used). Default: env ALLOCATOR_REGISTRY_BLOB_URL, else ALLOCATOR_REGISTRY_FILE." })
        String registry;

        @Option(names = "--connection-string", paramLabel = "TEXT",
                defaultValue = "${env:ALLOCATOR_REGISTRY_BLOB_CONNECTION_STRING}",
                description = { "The storage account's connection string for a blob URL (Azurite's included). Default: env"
                        + " ALLOCATOR_REGISTRY_BLOB_CONNECTION_STRING; without it and without a SAS, your az login or managed identity." })
        String connectionString;

        RegistryStore store() throws UserError {
            if (registry == null || registry.isBlank()) {
                throw new UserError("no registry given: name the file or blob URL with --registry (or set"
                        + " ALLOCATOR_REGISTRY_FILE or ALLOCATOR_REGISTRY_BLOB_URL)");
            }
            return RegistryStore.of(registry.strip(), connectionString);
        }
    }

    /** A change to the registry, made on the version just read. */
    interface Edit {
        /**
         * Changes {@code registry} (or, for {@link #replacement()}, only checks what it is about to replace).
         *
         * @param registry the version just read, or {@code null} for a replacement
         * @return what was done, for the user
         */
        String apply(RegistryDocument registry, String where) throws UserError;

        /** The text that replaces the registry whatever it holds, or {@code null} for an edit of the version read. */
        default byte[] replacement() {
            return null;
        }
    }

    /** Reads, changes and writes the registry, again from a fresh read whenever somebody else wrote it meanwhile. */
    static void edit(RegistryStore store, boolean createsRegistry, Edit edit, PrintWriter out, PrintWriter err) throws UserError {
        byte[] replacement = edit.replacement();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            RegistryStore.Snapshot snapshot = store.read();
            RegistryDocument registry = null;
            if (replacement == null) {
                if (snapshot.text() == null && !createsRegistry) {
                    throw new UserError("there is no registry at " + store.describe() + ": create it with 'registry push FILE'"
                            + " or 'registry add'");
                }
                registry = snapshot.text() == null ? RegistryDocument.empty() : RegistryDocument.parse(snapshot.text(), store.describe());
            }
            String done = edit.apply(registry, store.describe());
            try {
                store.write(replacement == null ? registry.bytes() : replacement, snapshot.version());
                out.println(done);
                return;
            } catch (RegistryStore.Conflict e) {
                err.println("dps-device registry: " + store.describe() + " changed while this change was made; reading it again");
            }
        }
        throw new UserError(store.describe() + " kept changing while this change was made (" + ATTEMPTS
                + " attempts): nothing was written; try again");
    }

    static RegistryDocument readExisting(RegistryStore store) throws UserError {
        RegistryStore.Snapshot snapshot = store.read();
        if (snapshot.text() == null) {
            throw new UserError("there is no registry at " + store.describe() + ": create it with 'registry push FILE'"
                    + " or 'registry add'");
        }
        return RegistryDocument.parse(snapshot.text(), store.describe());
    }

    static String checkedId(String id) throws UserError {
        String problem = RegistryDocument.idProblem(id);
        if (problem != null) {
            throw new UserError(id + " is " + problem);
        }
        return id;
    }

    static Instant expiry(String text) throws UserError {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserError("--expires " + text + " is not an RFC 3339 timestamp, e.g. 2027-06-30T00:00:00Z");
        }
    }

    private abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Location location;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /** A command that changes one device, named by its id. */
    private abstract static class DeviceEdit extends Sub implements Edit {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        /** Checks the command's own options before the registry is read. */
        void check() throws UserError {
        }

        @Override
        public Integer call() throws UserError {
            check();
            edit(location.store(), false, this, out(), err());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the devices, a page at a time.")
    static final class ListDevices extends Sub {
        @Option(names = "--blocked", description = "Only blocked devices.")
        boolean blocked;
        @Option(names = "--not-blocked", description = "Only devices that are not blocked.")
        boolean notBlocked;
        @Option(names = "--page", defaultValue = "1", description = "Which page, from 1 (default 1).")
        int page;
        @Option(names = "--page-size", defaultValue = "100", description = "Devices per page, 1 to 10000 (default 100).")
        int pageSize;

        @Override
        public Integer call() throws UserError {
            if (blocked && notBlocked) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--blocked and --not-blocked exclude each other");
            }
            if (page < 1 || pageSize < 1 || pageSize > 10_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--page must be 1 or more and --page-size 1 to 10000");
            }
            RegistryDocument registry = readExisting(location.store());
            List<ObjectNode> devices = registry.devices().stream()
                    .filter(d -> !blocked || d.path("blocked").asBoolean(false))
                    .filter(d -> !notBlocked || !d.path("blocked").asBoolean(false))
                    .toList();
            int from = (page - 1) * pageSize;
            int to = Math.min(devices.size(), from + pageSize);
            PrintWriter out = out();
            out.printf("%-40s %-8s %-5s %s%n", "ID", "BLOCKED", "KEYS", "FORMATS AND EXPIRY");
            for (int i = from; i < to; i++) {
                ObjectNode device = devices.get(i);
                StringBuilder keys = new StringBuilder();
                JsonNode credentials = device.path("credentials");
                for (JsonNode credential : credentials) {
                    String expires = credential.path("expirationTime").asText("");
                    keys.append(keys.length() == 0 ? "" : ", ").append(credential.path("publicKey").path("format").asText("?"))
                            .append(expires.isEmpty() || expires.startsWith("1970-01-01T00:00:00") ? "" : " until " + expires);
                }
                out.printf("%-40s %-8s %-5d %s%n", device.path("id").asText(), device.path("blocked").asBoolean(false) ? "yes" : "no",
                        credentials.size(), keys);
            }
            int pages = Math.max(1, (devices.size() + pageSize - 1) / pageSize);
            out.printf("%d devices%s; page %d of %d%s%n", devices.size(), blocked ? " blocked" : notBlocked ? " not blocked" : "",
                    page, pages, page < pages ? " (--page " + (page + 1) + " for more)" : "");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one device's entry.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws UserError, IOException {
            RegistryStore store = location.store();
            out().println(PRETTY.writeValueAsString(readExisting(store).require(id, store.describe())));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a device with its first credential.")
    static final class Add extends Sub {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--key", required = true, paramLabel = "PEM", description = "The device's public key: a PEM file or PEM text.")
        String key;
        @Option(names = "--expires", paramLabel = "TIME", description = "When the credential stops being accepted (RFC 3339). Default: never.")
        String expires;
        @Option(names = "--blocked", description = "Add the device blocked.")
        boolean blocked;

        @Override
        public Integer call() throws UserError {
            String checked = checkedId(id);
            PublicKeyInput.Key publicKey = PublicKeyInput.read(key);
            Instant until = expiry(expires);
            edit(location.store(), true, (registry, where) -> {
                if (registry.find(checked) != null) {
                    throw new UserError(where + " already has a device " + registry.find(checked).path("id").asText()
                            + " (DPS ids ignore case): use 'registry add-credential' to give it another key");
                }
                ObjectNode device = RegistryDocument.device(checked, blocked);
                RegistryDocument.credentials(device).add(RegistryDocument.credential(publicKey, until));
                registry.add(device);
                return "added " + checked + " (" + publicKey.format() + (blocked ? ", blocked" : "") + ") to " + where;
            }, out(), err());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a device: the webhook refuses it (403 device_unknown) from then on.")
    static final class Remove extends DeviceEdit {
        @Override
        public String apply(RegistryDocument registry, String where) throws UserError {
            registry.require(id, where);
            registry.remove(id);
            return "removed " + id + " from " + where;
        }
    }

    @Command(name = "block", mixinStandardHelpOptions = true, description = "Block a device: the webhook refuses it whatever it presents.")
    static final class Block extends DeviceEdit {
        @Override
        public String apply(RegistryDocument registry, String where) throws UserError {
            registry.require(id, where).put("blocked", true);
            return "blocked " + id + " in " + where;
        }
    }

    @Command(name = "unblock", mixinStandardHelpOptions = true, description = "Unblock a device.")
    static final class Unblock extends DeviceEdit {
        @Override
        public String apply(RegistryDocument registry, String where) throws UserError {
            registry.require(id, where).put("blocked", false);
            return "unblocked " + id + " in " + where;
        }
    }

    @Command(name = "add-credential", mixinStandardHelpOptions = true,
            description = "Give a device another key (at most " + RegistryDocument.MAX_CREDENTIALS + ", as Google Cloud IoT Core allowed): rotate, then remove the old one.")
    static final class AddCredential extends DeviceEdit {
        @Option(names = "--key", required = true, paramLabel = "PEM", description = "The new public key: a PEM file or PEM text.")
        String key;
        @Option(names = "--expires", paramLabel = "TIME", description = "When the credential stops being accepted (RFC 3339). Default: never.")
        String expires;
        private PublicKeyInput.Key publicKey;
        private Instant until;

        @Override
        void check() throws UserError {
            publicKey = PublicKeyInput.read(key);
            until = expiry(expires);
        }

        @Override
        public String apply(RegistryDocument registry, String where) throws UserError {
            ArrayNode credentials = RegistryDocument.credentials(registry.require(id, where));
            if (credentials.size() >= RegistryDocument.MAX_CREDENTIALS) {
                throw new UserError(id + " already has " + credentials.size() + " credentials, the most a device may"
                        + " have: remove one first ('registry remove-credential " + id + " N')");
            }
            for (JsonNode credential : credentials) {
                if (credential.path("publicKey").path("key").asText("").replaceAll("\\s", "")
                        .equals(publicKey.pem().replaceAll("\\s", ""))) {
                    throw new UserError(id + " already has this key");
                }
            }
            credentials.add(RegistryDocument.credential(publicKey, until));
            return "added credential " + (credentials.size() - 1) + " (" + publicKey.format() + ") to " + id + " in " + where;
        }
    }

    @Command(name = "remove-credential", mixinStandardHelpOptions = true,
            description = "Remove a device's credential by its index (0 is the first, as 'registry show' lists them).")
    static final class RemoveCredential extends DeviceEdit {
        @Parameters(index = "1", paramLabel = "N")
        int index;

        @Override
        public String apply(RegistryDocument registry, String where) throws UserError {
            ArrayNode credentials = RegistryDocument.credentials(registry.require(id, where));
            if (index < 0 || index >= credentials.size()) {
                throw new UserError(id + " has no credential " + index + ": it has " + credentials.size()
                        + (credentials.isEmpty() ? "" : " (0 to " + (credentials.size() - 1) + ")"));
            }
            credentials.remove(index);
            return "removed credential " + index + " of " + id + " in " + where
                    + (credentials.isEmpty() ? "; it has no credential left, so the webhook refuses it" : "");
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Replace the whole registry with FILE (import-gcp's registry.json, or a pulled and edited copy), after checking every device in it.")
    static final class Push extends Sub {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws UserError {
            InputFiles.checkFile(file, "the registry to push");
            byte[] text;
            try {
                text = Files.readAllBytes(file);
            } catch (IOException e) {
                throw InputFiles.cannotRead(file, "the registry to push", e);
            }
            RegistryDocument pushed = RegistryDocument.parse(text, file.toString());
            List<String> problems = pushed.problems();
            if (!problems.isEmpty()) {
                StringBuilder message = new StringBuilder(file + " has " + problems.size() + " problem"
                        + (problems.size() == 1 ? "" : "s") + "; nothing was pushed:");
                problems.stream().limit(20).forEach(p -> message.append("\n  ").append(p));
                if (problems.size() > 20) {
                    message.append("\n  ... and ").append(problems.size() - 20).append(" more");
                }
                throw new UserError(message.toString());
            }
            int devices = pushed.devices().size();
            if (devices == 0) {
                throw new UserError(file + " holds no devices; nothing was pushed (an empty registry would refuse every device)");
            }
            edit(location.store(), true, new Edit() {
                @Override
                public String apply(RegistryDocument registry, String where) {
                    return "pushed " + devices + " devices from " + file + " to " + where;
                }

                @Override
                public byte[] replacement() {
                    return text;
                }
            }, out(), err());
            return 0;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true, description = "Copy the registry to FILE ('-' for standard output).")
    static final class Pull extends Sub {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        public Integer call() throws UserError {
            RegistryStore store = location.store();
            RegistryStore.Snapshot snapshot = store.read();
            if (snapshot.text() == null) {
                throw new UserError("there is no registry at " + store.describe());
            }
            if (file.equals("-")) {
                out().print(new String(snapshot.text(), StandardCharsets.UTF_8));
                out().flush();
                return 0;
            }
            try {
                Files.write(Path.of(file), snapshot.text());
            } catch (IOException e) {
                throw new UserError("cannot write " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            out().println("pulled " + store.describe() + " to " + file);
            return 0;
        }
    }
}
