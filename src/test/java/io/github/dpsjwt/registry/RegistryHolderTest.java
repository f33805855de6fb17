package io.github.dpsjwt.registry;

import static io.github.dpsjwt.registry.RegistryIndexTest.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Vetoed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;

public class RegistryHolderTest {

    @TempDir
    Path dir;

    /** A holder that records each registry it hands over to; vetoed, or it would be a second CDI bean. */
    @Vetoed
    public static final class Recording extends RegistryHolder {
        final List<DeviceRegistry> installed = new ArrayList<>();
        /** Runs out of heap where a registry too large for it does: after the index answers. */
        boolean outOfHeapAtFullRead;

        public Recording() {
            super(new RegistryConfig() {
                @Override
                public Optional<Path> file() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> blobUrl() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> blobConnectionString() {
                    return Optional.empty();
                }

                @Override
                public Duration refresh() {
                    return Duration.ofSeconds(30);
                }

                @Override
                public Optional<String> devicePublicKey() {
                    return Optional.empty();
                }
            });
        }

        @Override
        void install(DeviceRegistry ready) {
            installed.add(ready);
            super.install(ready);
            if (outOfHeapAtFullRead && ready instanceof ExportFileRegistry) {
                throw new OutOfMemoryError("Java heap space");
            }
        }

        List<Class<?>> kinds() {
            return installed.stream().<Class<?>>map(Object::getClass).toList();
        }
    }

    Path write(String content) throws Exception {
        return Files.writeString(dir.resolve("registry.json"), content);
    }

    @Test
    void shouldAnswerFromTheIndexThenFromTheFullRead() throws Exception {
        Recording holder = new Recording();
        holder.loadFile(write("[" + entry("a") + "," + entry("b") + "]"), 0, Long.MAX_VALUE);
        assertEquals(List.of(RegistryIndex.class, ExportFileRegistry.class), holder.kinds());
        assertTrue(holder.installed.get(0).find("B").isPresent());
        assertTrue(holder.status().ready());
        assertEquals("b", holder.find("B").orElseThrow().id());
    }

    @Test
    void shouldReadSmallFilesOnlyInFull() throws Exception {
        Recording holder = new Recording();
        holder.loadFile(write("[" + entry("a") + "]"), RegistryHolder.INDEX_MIN_BYTES, RegistryHolder.INDEX_MAX_BYTES);
        assertEquals(List.of(ExportFileRegistry.class), holder.kinds());
        assertTrue(holder.find("a").isPresent());
    }

    @Test
    void shouldOnlyStreamFilesTooLargeToHoldWhole() throws Exception {
        Recording holder = new Recording();
        Path file = write("[" + entry("a") + "," + entry("b") + "]");
        holder.loadFile(file, 0, Files.size(file) - 1);
        assertEquals(List.of(ExportFileRegistry.class), holder.kinds());
        assertTrue(holder.find("b").isPresent());
    }

    @Test
    void shouldReadInFullWhatTheIndexLeavesAlone() throws Exception {
        Recording holder = new Recording();
        holder.loadFile(write("[" + entry("a") + "," + entry("A") + "," + entry("c") + "]"), 0, Long.MAX_VALUE);
        assertEquals(List.of(ExportFileRegistry.class), holder.kinds());
        assertTrue(holder.find("a").isEmpty(), "ids that collide are refused, as before");
        assertTrue(holder.find("c").isPresent());
    }

    @Test
    void shouldTakeReadinessBackWhenTheFullReadFails() throws Exception {
        Recording holder = new Recording();
        holder.loadFile(write("[" + entry("a") + ",{\"id\":\"b\",\"blocked\":tru}]"), 0, Long.MAX_VALUE);
        assertEquals(List.of(RegistryIndex.class), holder.kinds());
        assertFalse(holder.status().ready());
        assertTrue(holder.status().detail().contains("cannot be loaded"), holder.status().detail());
        RefusalException refused = assertThrows(RefusalException.class, () -> holder.find("a"));
        assertEquals(Reason.REGISTRY_NOT_READY, refused.reason());
    }

    @Test
    void shouldTakeReadinessBackWithAdviceWhenTheRegistryDoesNotFitInTheHeap() throws Exception {
        Recording holder = new Recording();
        holder.outOfHeapAtFullRead = true;
        holder.loadFile(write("[" + entry("a") + "," + entry("b") + "]"), 0, Long.MAX_VALUE);
        assertEquals(List.of(RegistryIndex.class, ExportFileRegistry.class), holder.kinds());
        assertFalse(holder.status().ready(), "the index must not go on answering as if the full read were under way");
        assertTrue(holder.status().detail().contains("does not fit in the heap"), holder.status().detail());
        assertTrue(holder.status().detail().contains("1.5 MiB per 1,000 devices"), holder.status().detail());
        RefusalException refused = assertThrows(RefusalException.class, () -> holder.find("a"));
        assertEquals(Reason.REGISTRY_NOT_READY, refused.reason());
    }

    @Test
    void shouldSayWhatIsWrongWithTheRegistryPathAndWhereItIsSet() throws Exception {
        Recording missing = new Recording();
        missing.loadFile(dir.resolve("registy.json"), 0, Long.MAX_VALUE);
        assertFalse(missing.status().ready());
        assertTrue(missing.status().detail().contains("registy.json does not exist: check the path"), missing.status().detail());
        assertTrue(missing.status().detail().contains("ALLOCATOR_REGISTRY_FILE"), missing.status().detail());

        Recording folder = new Recording();
        folder.loadFile(dir, 0, Long.MAX_VALUE);
        assertTrue(folder.status().detail().contains("is a folder: name the registry file itself"), folder.status().detail());
    }

    @Test
    void shouldStayNotReadyWhenTheFileHoldsNoUsableDevice() throws Exception {
        for (String content : List.of("[]", "{\"devices\":[]}", "[{\"id\":\"not valid!\"},{\"name\":\"no id\"}]")) {
            Recording holder = new Recording();
            holder.loadFile(write(content), 0, Long.MAX_VALUE);
            assertFalse(holder.status().ready(), content);
            assertTrue(holder.status().detail().contains("holds no usable device"), holder.status().detail());
            assertEquals(Reason.REGISTRY_NOT_READY, assertThrows(RefusalException.class, () -> holder.find("a")).reason());
        }
    }

    @Test
    void shouldStayNotReadyWhenNoDeviceHasAUsableKey() throws Exception {
        String broken = "{\"publicKey\":{\"format\":\"ES256_PEM\",\"key\":\"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n\"}}";
        Recording holder = new Recording();
        holder.loadFile(write("[{\"id\":\"a\",\"credentials\":[" + broken + "]},{\"id\":\"b\",\"credentials\":[" + broken
                + "," + broken + "]}]"), 0, Long.MAX_VALUE);
        assertFalse(holder.status().ready());
        assertTrue(holder.status().detail().contains("no device has a usable credential"), holder.status().detail());

        Recording oneGood = new Recording();
        oneGood.loadFile(write("[{\"id\":\"a\",\"credentials\":[" + broken + "]}," + entry("b") + "]"), 0, Long.MAX_VALUE);
        assertTrue(oneGood.status().ready(), "one usable device is enough: the others are refused by name");
    }
}
