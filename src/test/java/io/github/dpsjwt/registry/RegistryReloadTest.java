package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.registry.source.RegistrySource;
import io.github.dpsjwt.support.Keys;

/** New versions of a file or blob registry: taken whole or not at all, and the last good one kept. */
class RegistryReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair A = Keys.ec();
    private static final KeyPair B = Keys.ec();
    private static final KeyPair B_NEW = Keys.ec();

    @TempDir
    Path dir;
    private Path file;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                logged.add(record.getFormattedMessage());
            }
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(RegistryHolder.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(RegistryHolder.class.getName()).removeHandler(capture);
    }

    /** Devices by id: each a blocked flag and its keys. */
    private static Map<String, Object> device(String id, boolean blocked, PublicKey... keys) {
        List<Object> credentials = new ArrayList<>();
        for (PublicKey key : keys) {
            credentials.add(Map.of("publicKey", Map.of("format", "ES256_PEM", "key", Keys.pem(key)),
                    "expirationTime", "1970-01-01T00:00:00Z"));
        }
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("id", id);
        device.put("blocked", blocked);
        device.put("credentials", credentials);
        return device;
    }

    /** Writes a new version of the file, with a modification time of its own (as any real edit has). */
    private void write(Object content) throws IOException {
        write(content instanceof String text ? text : JSON.writeValueAsString(content));
    }

    private int writes;

    private void write(String content) throws IOException {
        Path next = dir.resolve("next.json");
        Files.writeString(next, content);
        Files.setLastModifiedTime(next, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(writes++)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private RegistryHolderTest.Recording loaded() throws IOException {
        file = dir.resolve("registry.json");
        write(List.of(device("a", false, A.getPublic()), device("b", false, B.getPublic())));
        RegistryHolderTest.Recording holder = new RegistryHolderTest.Recording();
        holder.useSource(new io.github.dpsjwt.registry.source.FileSource(file));
        holder.check();
        assertTrue(holder.status().ready(), holder.status().detail());
        return holder;
    }

    @Test
    void shouldTakeANewVersionOfTheFile() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        assertFalse(holder.find("b").orElseThrow().blocked());
        write(List.of(device("a", false, A.getPublic()), device("b", true, B.getPublic()), device("c", false, B_NEW.getPublic())));
        holder.check();
        assertTrue(holder.find("b").orElseThrow().blocked(), "blocked in the new version");
        assertTrue(holder.find("c").isPresent(), "added in the new version");
        assertEquals(3, holder.loaded().devices());
        assertEquals(1, holder.reloads());
        assertNull(holder.failure());

        write(List.of(device("a", false, A.getPublic())));
        holder.check();
        assertTrue(holder.find("b").isEmpty(), "removed in the newest version");
    }

    @Test
    void shouldAnswerEveryRequestDuringAReloadFromOneWholeVersion() throws Exception {
        file = dir.resolve("registry.json");
        List<Object> devices = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            devices.add(device("d-" + i, false, A.getPublic()));
        }
        write(devices);
        RegistryHolderTest.Recording holder = new RegistryHolderTest.Recording();
        holder.useSource(new io.github.dpsjwt.registry.source.FileSource(file));
        holder.check();
        // the new version blocks every device: once a request has seen it, no request sees the old one again
        devices.replaceAll(d -> device((String) ((Map<?, ?>) d).get("id"), true, A.getPublic()));
        write(devices);
        java.util.concurrent.atomic.AtomicReference<Throwable> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        Thread requests = new Thread(() -> {
            boolean seenNew = false;
            while (reloading.get() && wrong.get() == null) {
                try {
                    boolean blocked = holder.find("d-" + answered.get() % 20_000).orElseThrow().blocked();
                    if (seenNew && !blocked) {
                        wrong.set(new AssertionError("an answer from the old version after one from the new"));
                    }
                    seenNew |= blocked;
                    answered.incrementAndGet();
                } catch (RuntimeException e) {
                    wrong.set(e);
                }
            }
        });
        requests.start();
        holder.check();
        reloading.set(false);
        requests.join();
        assertNull(wrong.get(), () -> String.valueOf(wrong.get()));
        assertTrue(answered.get() > 0);
        assertTrue(holder.find("d-12345").orElseThrow().blocked());
    }

    @Test
    void shouldNotReadAnUnchangedFileAgain() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        int handOvers = holder.installed.size();
        holder.check();
        holder.check();
        assertEquals(handOvers, holder.installed.size());
        assertEquals(0, holder.reloads());
    }

    @Test
    void shouldKeepTheParsedKeysOfCredentialsThatDidNotChange() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        PublicKey aBefore = holder.find("a").orElseThrow().credentials().get(0).key();
        PublicKey bBefore = holder.find("b").orElseThrow().credentials().get(0).key();
        write(List.of(device("a", true, A.getPublic()), device("b", false, B_NEW.getPublic(), B.getPublic())));
        holder.check();
        Device a = holder.find("a").orElseThrow();
        Device b = holder.find("b").orElseThrow();
        assertNull(a.credentials().get(0).material(), "the kept key's text was dropped at once: nothing left to parse");
        assertSame(aBefore, a.credentials().get(0).key(), "same key text: the parsed key is kept");
        assertNotSame(bBefore, b.credentials().get(0).key(), "a new key is parsed");
        assertEquals(B_NEW.getPublic().getEncoded().length, b.credentials().get(0).key().getEncoded().length);
        assertSame(bBefore, b.credentials().get(1).key(), "the old key, now second, is kept");
    }

    @Test
    void shouldNotTakeAParsedKeyAcrossDevices() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        PublicKey bBefore = holder.find("b").orElseThrow().credentials().get(0).key();
        // a's new key is b's: it is parsed anew for a, and both now share a key
        write(List.of(device("a", false, B.getPublic()), device("b", false, B.getPublic())));
        holder.check();
        assertNotSame(bBefore, holder.find("a").orElseThrow().credentials().get(0).key());
        assertEquals(KeyOwners.SEVERAL_DEVICES, holder.find("a").orElseThrow().credentials().get(0).keyOwners());
    }

    @Test
    void shouldKeepTheLastGoodVersionWhenANewOneCannotBeRead() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        String good = Files.readString(file);
        for (String broken : List.of(good.substring(0, good.length() / 2), "{not json", "\"a string\"",
                "[{\"id\":\"x\",\"blocked\":tru}]")) {
            write(broken);
            holder.check();
            assertTrue(holder.status().ready(), broken);
            assertTrue(holder.find("b").isPresent(), "the last good version answers");
            assertTrue(holder.failure().reason().contains("cannot be loaded"), holder.failure().reason());
        }
        assertEquals(4, holder.reloadFailures());
    }

    @Test
    void shouldLogAFailureOnceNotAtEveryCheck() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        write("[{");
        for (int i = 0; i < 5; i++) {
            holder.check();
        }
        assertEquals(1, logged.stream().filter(line -> line.contains("cannot be loaded")).count(), logged.toString());
        assertEquals(1, holder.reloadFailures(), "a refused version is not read again until it changes");

        Files.delete(file);
        for (int i = 0; i < 5; i++) {
            holder.check();
        }
        assertEquals(1, logged.stream().filter(line -> line.contains("does not exist")).count(), logged.toString());
        assertTrue(holder.status().ready(), "a file gone for a while: the version in use stays");
        assertTrue(holder.failure().reason().contains("does not exist"));
        Instant since = holder.failure().since();

        write(List.of(device("a", false, A.getPublic())));
        holder.check();
        assertNull(holder.failure(), "a good version ends the failure");
        assertTrue(holder.find("b").isEmpty());
        assertTrue(since.isBefore(Instant.now().plusSeconds(1)));
    }

    @Test
    void shouldNeverReplaceARegistryWithAnEmptyOrKeylessOne() throws Exception {
        RegistryHolderTest.Recording holder = loaded();
        String broken = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
        Map<String, Object> keyless = Map.of("id", "a", "credentials", List.of(Map.of("publicKey",
                Map.of("format", "ES256_PEM", "key", broken))));
        for (Object content : List.of(List.of(), Map.of("devices", List.of()), List.of(Map.of("id", "not valid!")), List.of(keyless))) {
            write(content);
            holder.check();
            assertTrue(holder.status().ready());
            assertTrue(holder.find("b").isPresent(), "the non-empty version stays: " + content);
            assertNotNull(holder.failure());
        }
    }

    @Test
    void shouldStayNotReadyUntilAFirstGoodVersionThenTakeIt() throws Exception {
        file = dir.resolve("registry.json");
        RegistryHolderTest.Recording holder = new RegistryHolderTest.Recording();
        holder.useSource(new io.github.dpsjwt.registry.source.FileSource(file));
        holder.check();
        assertFalse(holder.status().ready());
        write("[]");
        holder.check();
        assertFalse(holder.status().ready());
        assertTrue(holder.status().detail().contains("holds no usable device"), holder.status().detail());
        write(List.of(device("a", false, A.getPublic())));
        holder.check();
        assertTrue(holder.status().ready());
        assertEquals(0, holder.reloads(), "the first version is a load, not a reload");
    }

    /** A source that hands out versions as the test says, and fails as the test says. */
    private static final class Scripted implements RegistrySource {
        String tag = "v1";
        String text;
        IOException failCheck;
        IOException failRead;
        int opens;

        @Override
        public Optional<Version> changedSince(String knownTag) throws IOException {
            if (failCheck != null) {
                throw failCheck;
            }
            if (tag.equals(knownTag)) {
                return Optional.empty();
            }
            String versionTag = tag;
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return Optional.of(new Found(versionTag, bytes.length, null, () -> {
                opens++;
                ByteArrayInputStream in = new ByteArrayInputStream(bytes);
                IOException failure = failRead;
                return new InputStream() {
                    @Override
                    public int read() {
                        return in.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (failure != null && in.available() < bytes.length / 2) {
                            throw failure;
                        }
                        return in.read(b, off, Math.min(len, 64));
                    }
                };
            }, () -> true));
        }

        @Override
        public String description() {
            return "registry blob scripted";
        }
    }

    @Test
    void shouldReadAgainAVersionWhoseReadFailedOrThatChangedMidRead() throws Exception {
        Scripted source = new Scripted();
        source.text = JSON.writeValueAsString(List.of(device("a", false, A.getPublic())));
        RegistryHolderTest.Recording holder = new RegistryHolderTest.Recording();
        holder.useSource(source);
        holder.check();
        assertTrue(holder.status().ready());

        source.tag = "v2";
        source.text = JSON.writeValueAsString(List.of(device("a", true, A.getPublic()), device("b", false, B.getPublic())));
        source.failCheck = new IOException("registry blob scripted cannot be reached: ConnectException");
        holder.check();
        holder.check();
        assertEquals("registry blob scripted cannot be reached: ConnectException", holder.failure().reason());
        assertEquals(1, logged.stream().filter(line -> line.contains("cannot be reached")).count(), logged.toString());

        source.failCheck = null;
        source.tag = "v1";
        holder.check();
        assertNull(holder.failure(), "reachable again, still the version in use");

        source.tag = "v2";
        source.failRead = new RegistrySource.VersionGoneException("changed while it was read");
        holder.check();
        assertFalse(holder.find("a").orElseThrow().blocked());
        assertNull(holder.failure(), "a version replaced while read is no failure: the next check reads the new one");
        source.failRead = new IOException("registry blob scripted cannot be reached: connection reset");
        holder.check();
        assertFalse(holder.find("a").orElseThrow().blocked());
        assertEquals("registry blob scripted cannot be reached: connection reset", holder.failure().reason());
        source.failRead = null;
        holder.check();
        assertTrue(holder.find("a").orElseThrow().blocked(), "v2 was read again and taken");
        assertEquals(4, source.opens);

        // a refused version, the store down for a while, then up again still holding that version
        source.tag = "v3";
        source.text = "[{";
        holder.check();
        assertTrue(holder.failure().reason().contains("cannot be loaded"), holder.failure().reason());
        source.failCheck = new IOException("registry blob scripted cannot be reached: ConnectException");
        holder.check();
        assertTrue(holder.failure().reason().contains("cannot be reached"));
        source.failCheck = null;
        holder.check();
        assertTrue(holder.failure().reason().contains("cannot be loaded"), "the refused version is still the newest");
        assertEquals(5, source.opens, "and it is not read again");
    }
}
