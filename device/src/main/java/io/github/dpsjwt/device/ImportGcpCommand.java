package io.github.dpsjwt.device;

import java.io.BufferedWriter;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code import-gcp}: a Google Cloud IoT Core registry export in, the webhook's registry and the DPS set-up out. */
@Command(name = "import-gcp", mixinStandardHelpOptions = true,
        description = { "Turn a Google Cloud IoT Core registry export into the webhook's registry and the DPS set-up.",
                "Reads a Google Cloud IoT Core registry export (JSON from 'gcloud iot devices list/describe --format=json',",
                "or the YAML 'describe' prints), checks every device, and writes:",
                "  registry.json     the webhook's registry file (ALLOCATOR_REGISTRY_FILE): the devices that can migrate",
                "  report.csv        id,outcome,detail for each device that cannot migrate, or migrates with a warning",
                "  create-enrollment.sh  the az CLI commands that create the DPS enrollment group (or individual enrollments)",
                "Exit 0 when every device migrates, 1 when the report lists devices that cannot." })
final class ImportGcpCommand implements Callable<Integer> {

    static final Pattern DPS_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** The files of a folder that are read as exports. */
    private static final Pattern EXPORT_NAME = Pattern.compile("(?i).+\\.(json|ya?ml)");
    private static final Instant NO_EXPIRY = Instant.EPOCH;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "EXPORT",
            description = "Export files (JSON or YAML), or folders: every *.json, *.yaml and *.yml file directly in a folder is read.")
    List<Path> inputs;

    @Option(names = { "-o", "--out-dir" }, defaultValue = ".", description = "Where to write the three files (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--individual", description = "Write one individual enrollment per device instead of one enrollment group.")
    boolean individual;

    @Option(names = "--group-id", defaultValue = "gcp-migration", description = "The enrollment group id (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--webhook-url", defaultValue = "https://<function-app>.azurewebsites.net/api/validatejwt?code=<function-key>",
            description = "The webhook URL DPS calls, with its ?code= key.")
    String webhookUrl;

    @Option(names = "--iot-hubs", split = HubLists.SPLIT, defaultValue = "<hub-name>.azure-devices.net",
            description = "The hubs to link to the enrollment, separated by commas or spaces, or the option repeated.")
    List<String> iotHubs;

    /** One device of the export, and what the import made of it. */
    record Entry(String id, boolean blocked, List<JsonNode> credentials) {
    }

    private final Map<String, Entry> devices = new LinkedHashMap<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<String[]> report = new ArrayList<>();
    private int read;
    private Instant now;

    @Override
    public Integer call() throws Exception {
        now = Instant.now();
        long started = System.nanoTime();
        Console console = System.console();
        List<Path> files = exportFiles(inputs);
        for (Path input : files) {
            readExport(input, console);
        }
        if (read == 0) {
            throw new UserError("no devices found in " + describe(files) + ": an export is a JSON array of devices,"
                    + " the API's {\"devices\": [...]}, one device object with an \"id\", or the YAML 'gcloud iot devices"
                    + " describe' prints; nothing was written");
        }
        Files.createDirectories(outDir);
        int migrated = writeRegistry(outDir.resolve("registry.json"));
        writeReport(outDir.resolve("report.csv"));
        writeEnrollmentScript(outDir.resolve("create-enrollment.sh"));
        long skipped = report.stream().filter(row -> row[1].equals("skipped")).count();
        if (console != null) {
            System.err.print("\r");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("read %d device%s: %d migrate, %d cannot (see report.csv), in %d ms%n", read, read == 1 ? "" : "s", migrated, skipped,
                (System.nanoTime() - started) / 1_000_000);
        out.printf("wrote %s, %s and %s%n", outDir.resolve("registry.json"), outDir.resolve("report.csv"),
                outDir.resolve("create-enrollment.sh"));
        return skipped == 0 ? 0 : DpsDevice.REFUSED;
    }

    /** The files to read: each file as given, and each folder's export files in name order. */
    static List<Path> exportFiles(List<Path> inputs) throws UserError {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.isDirectory(input)) {
                InputFiles.checkFile(input, "the export");
                files.add(input);
                continue;
            }
            List<Path> found;
            try (Stream<Path> listing = Files.list(input)) {
                found = listing.filter(file -> Files.isRegularFile(file) && EXPORT_NAME.matcher(file.getFileName().toString()).matches())
                        .sorted().toList();
            } catch (IOException e) {
                throw InputFiles.cannotRead(input, "the export folder", e);
            }
            if (found.isEmpty()) {
                throw new UserError("the folder " + input + " holds no export files (*.json, *.yaml, *.yml): put the"
                        + " 'gcloud iot devices describe/list --format=json' output there, or name the files");
            }
            files.addAll(found);
        }
        return files;
    }

    private static String describe(List<Path> files) {
        return files.size() == 1 ? files.get(0).toString() : files.size() + " files (" + files.get(0) + ", ...)";
    }

    private void readExport(Path input, Console console) throws IOException, UserError {
        int first = firstCharacter(input);
        if (first == '-' && startsWithPem(input)) {
            throw new UserError(input + " is a PEM key, not a registry export: give import-gcp the JSON or YAML that"
                    + " 'gcloud iot devices list/describe' printed (docs/migration.md); the key goes inside it");
        }
        boolean json = first == '[' || first == '{';
        ObjectMapper mapper = json ? new ObjectMapper() : new YAMLMapper();
        try {
            readExport(input, console, mapper, json);
        } catch (StreamReadException e) {
            throw new UserError(unreadable(input, json, e));
        } catch (DatabindException e) {
            throw new UserError(input + " is not a registry export: " + e.getOriginalMessage()
                    + location(e.getLocation()));
        }
    }

    /** What is wrong with an export that does not parse, without the parser's internals. */
    static String unreadable(Path input, boolean json, StreamReadException e) {
        String where = location(e.getLocation());
        if (!json) {
            return input + " is neither JSON nor the YAML 'gcloud iot devices describe' prints" + where
                    + ": check that it is the export itself";
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Unexpected end-of-input")) {
            return input + " ends before its JSON does" + where + ": the file looks cut off; export it again";
        }
        return input + " is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage());
    }

    private static String location(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected content";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void readExport(Path input, Console console, ObjectMapper mapper, boolean json) throws IOException {
        try (InputStream in = Files.newInputStream(input); JsonParser parser = mapper.createParser(in)) {
            if (json) {
                JsonToken first = parser.nextToken();
                if (first == JsonToken.START_ARRAY) {
                    readArray(parser, console);
                } else {
                    // one device as 'describe' prints it, or the API's {"devices": [...]}: stream the list
                    com.fasterxml.jackson.databind.node.ObjectNode single = mapper.createObjectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("devices")) {
                            readArray(parser, console);
                        } else {
                            single.set(field, parser.readValueAsTree());
                        }
                    }
                    if (single.has("id") || single.has("credentials")) {
                        add(single, console);
                    }
                }
            } else {
                MappingIterator<JsonNode> documents = mapper.readValues(parser, JsonNode.class);
                // hasNextValue, not hasNext: a parse error stays a checked StreamReadException with its location
                while (documents.hasNextValue()) {
                    add(documents.nextValue(), console);
                }
            }
        }
    }

    private void readArray(JsonParser parser, Console console) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            add(parser.readValueAsTree(), console);
        }
    }

    private void add(JsonNode node, Console console) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(device -> add(device, console));
            return;
        }
        if (node.has("devices") && node.get("devices").isArray() && !node.has("id")) {
            node.get("devices").forEach(device -> add(device, console));
            return;
        }
        read++;
        if (console != null && read % 5000 == 0) {
            System.err.print("\rimport-gcp: " + read + " devices read");
            System.err.flush();
        }
        String id = node.path("id").asText(null);
        if (id == null || id.isEmpty()) {
            skip("#" + read, "entry has no id");
            return;
        }
        if (!DPS_ID.matcher(id).matches()) {
            skip(id, "id is not a valid DPS registration id (up to 128 of A-Z a-z 0-9 - . _ :)");
            return;
        }
        String key = id.toLowerCase(Locale.ROOT);
        Integer count = seen.merge(key, 1, Integer::sum);
        if (count > 1) {
            Entry earlier = devices.remove(key);
            if (earlier != null) {
                skip(earlier.id(), "id differs only in case from another device; DPS ids ignore case");
            }
            skip(id, "id differs only in case from another device; DPS ids ignore case");
            return;
        }
        boolean blocked = node.path("blocked").asBoolean(false);
        List<JsonNode> usable = new ArrayList<>();
        JsonNode credentials = node.path("credentials");
        for (int i = 0; i < credentials.size(); i++) {
            JsonNode credential = credentials.get(i);
            JsonNode publicKey = credential.path("publicKey");
            String problem = KeyCheck.problem(publicKey.path("format").asText(null), publicKey.path("key").asText(null));
            if (problem != null) {
                warn(id, "credentials[" + i + "] dropped: " + problem);
                continue;
            }
            Instant expiry = expiry(credential.path("expirationTime").asText(""));
            if (expiry == null) {
                warn(id, "credentials[" + i + "] dropped: expirationTime is not a timestamp");
            } else if (!expiry.equals(NO_EXPIRY) && !expiry.isAfter(now)) {
                warn(id, "credentials[" + i + "] dropped: expired " + expiry);
            } else {
                usable.add(credential);
            }
        }
        if (usable.isEmpty()) {
            skip(id, credentials.isEmpty() ? "device has no credentials" : "device has no usable credential");
            return;
        }
        if (blocked) {
            warn(id, "blocked in Google Cloud IoT Core: imported as blocked, the webhook will refuse it");
        }
        devices.put(key, new Entry(id, blocked, usable));
    }

    private static Instant expiry(String text) {
        if (text.isEmpty()) {
            return NO_EXPIRY;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void skip(String id, String why) {
        report.add(new String[] { id, "skipped", why });
    }

    private void warn(String id, String why) {
        report.add(new String[] { id, "warning", why });
    }

    private int writeRegistry(Path file) throws IOException {
        try (JsonGenerator json = new ObjectMapper().getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.writeStartArray();
            for (Entry entry : devices.values()) {
                json.writeStartObject();
                json.writeStringField("id", entry.id());
                json.writeBooleanField("blocked", entry.blocked());
                json.writeArrayFieldStart("credentials");
                for (JsonNode credential : entry.credentials()) {
                    json.writeStartObject();
                    json.writeObjectFieldStart("publicKey");
                    json.writeStringField("format", credential.path("publicKey").path("format").asText());
                    json.writeStringField("key", credential.path("publicKey").path("key").asText());
                    json.writeEndObject();
                    json.writeStringField("expirationTime", credential.path("expirationTime").asText("1970-01-01T00:00:00Z"));
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                json.writeRaw('\n');
            }
            json.writeEndArray();
        }
        return devices.size();
    }

    private void writeReport(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,outcome,detail\n");
            for (String[] row : report) {
                out.write(csv(row[0]) + "," + row[1] + "," + csv(row[2]) + "\n");
            }
        }
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private void writeEnrollmentScript(Path file) throws IOException {
        if (!individual) {
            // the project's enroll.sh (its checks: az, login, extension, placeholders, the webhook's key), and a line
            // that calls it with this fleet's values
            Path enroll = file.resolveSibling("enroll.sh");
            try (InputStream script = ImportGcpCommand.class.getResourceAsStream("enroll.sh")) {
                if (script == null) {
                    throw new IOException("enroll.sh is missing from the dps-device jar; rebuild it with ./mvnw package");
                }
                Files.copy(script, enroll, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            enroll.toFile().setExecutable(true);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("#!/usr/bin/env bash\n");
            out.write("# Written by dps-device import-gcp: creates the DPS enrollment" + (individual ? "s" : " group")
                    + " for the migrated devices,\n# with custom allocation through the dps-jwt-allocator webhook.\n");
            out.write("# Set DPS_NAME and RESOURCE_GROUP; check WEBHOOK_URL (with its ?code= key) and IOT_HUBS.\n");
            out.write("set -euo pipefail\n");
            out.write(": \"${DPS_NAME:?set DPS_NAME to the Device Provisioning Service name}\"\n");
            out.write(": \"${RESOURCE_GROUP:?set RESOURCE_GROUP}\"\n");
            out.write("WEBHOOK_URL=${WEBHOOK_URL:-" + shellQuote(webhookUrl) + "}\n");
            out.write("IOT_HUBS=${IOT_HUBS:-" + shellQuote(String.join(" ", iotHubs)) + "}\n\n");
            if (individual) {
                for (Entry entry : devices.values()) {
                    out.write("az iot dps enrollment create -n \"$DPS_NAME\" -g \"$RESOURCE_GROUP\" --enrollment-id "
                            + shellQuote(entry.id()) + " --attestation-type symmetrickey --allocation-policy custom"
                            + " --webhook-url \"$WEBHOOK_URL\" --api-version 2021-10-01 --iot-hubs $IOT_HUBS\n");
                }
            } else {
                out.write("# enroll.sh checks az, its login, the azure-iot extension, placeholders and the webhook's key first,\n");
                out.write("# then creates the group (custom allocation, API 2021-10-01) or updates it when it exists.\n");
                out.write("\"$(dirname \"$0\")/enroll.sh\" --resource-group \"$RESOURCE_GROUP\" --dps \"$DPS_NAME\" --enrollment-id "
                        + shellQuote(groupId) + " --webhook-url \"$WEBHOOK_URL\" --iot-hubs \"$IOT_HUBS\"\n\n");
                out.write("# Each device registers with a key derived from the group key (it only gets the device to DPS;\n");
                out.write("# the device-signed JWT is what the webhook checks):\n");
                out.write("#   az iot dps enrollment-group show -n \"$DPS_NAME\" -g \"$RESOURCE_GROUP\" --enrollment-id "
                        + shellQuote(groupId) + " --show-keys\n");
                out.write("#   az iot dps enrollment-group compute-device-key --key <group primary key> --registration-id <device id>\n");
                out.write("#   (or: dps-device provision --group-key <group primary key> ...)\n");
            }
        }
        file.toFile().setExecutable(true);
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static boolean startsWithPem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(256), java.nio.charset.StandardCharsets.US_ASCII).stripLeading().startsWith("-----BEGIN");
        }
    }

    private static int firstCharacter(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (!Character.isWhitespace(c) && c != 0xEF && c != 0xBB && c != 0xBF) {
                    return c;
                }
            }
        }
        return -1;
    }
}
