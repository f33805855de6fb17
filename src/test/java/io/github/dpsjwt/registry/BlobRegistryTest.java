package io.github.dpsjwt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPair;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dpsjwt.registry.source.BlobSource;
import io.github.dpsjwt.registry.source.RegistrySource;
import io.github.dpsjwt.support.Azurite;
import io.github.dpsjwt.support.Keys;

/** The Blob source against a real Azurite: conditional checks, credentials, and what a store's failure does. */
class BlobRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair A = Keys.ec();
    private final Azurite azurite = Azurite.shared();
    private final String container = "registry-" + UUID.randomUUID().toString().substring(0, 8);

    private static String registry(String id, boolean blocked) throws IOException {
        return JSON.writeValueAsString(List.of(Map.of("id", id, "blocked", blocked, "credentials", List.of(Map.of(
                "publicKey", Map.of("format", "ES256_PEM", "key", Keys.pem(A.getPublic())))))));
    }

    private BlobSource source() {
        return BlobSource.create(azurite.url(container, "registry.json"), Optional.of(azurite.connectionString()));
    }

    private RegistryHolderTest.Recording holder(RegistrySource source) {
        RegistryHolderTest.Recording holder = new RegistryHolderTest.Recording();
        holder.useSource(source);
        holder.check();
        return holder;
    }

    @Test
    void shouldAnswerAnUnchangedBlobWithoutReadingIt() throws Exception {
        azurite.upload(container, "registry.json", registry("a", false));
        BlobSource source = source();
        RegistrySource.Version first = source.changedSince(null).orElseThrow();
        assertFalse(first.tag().isBlank(), "an ETag");
        assertTrue(source.changedSince(first.tag()).isEmpty(), "304 Not Modified");
        azurite.upload(container, "registry.json", registry("a", true));
        RegistrySource.Version second = source.changedSince(first.tag()).orElseThrow();
        assertFalse(second.tag().equals(first.tag()));
        assertEquals(registry("a", true), new String(second.open().readAllBytes()));
    }

    @Test
    void shouldFollowTheBlobAndKeepTheLastGoodVersion() throws Exception {
        azurite.upload(container, "registry.json", registry("a", false));
        RegistryHolderTest.Recording holder = holder(source());
        assertTrue(holder.status().ready(), holder.status().detail());
        assertTrue(holder.loaded().source().contains(container + "/registry.json"));

        azurite.upload(container, "registry.json", registry("a", true));
        holder.check();
        assertTrue(holder.find("a").orElseThrow().blocked(), "blocked in the new blob");

        for (String bad : List.of("[{\"id\":", "[]", "")) {
            azurite.upload(container, "registry.json", bad);
            holder.check();
            assertTrue(holder.status().ready());
            assertTrue(holder.find("a").orElseThrow().blocked(), "the last good version answers");
        }

        azurite.blob(container, "registry.json").delete();
        holder.check();
        assertTrue(holder.status().ready());
        assertTrue(holder.failure().reason().contains("answered 404 BlobNotFound"), holder.failure().reason());

        azurite.upload(container, "registry.json", registry("a", false));
        holder.check();
        assertNull(holder.failure());
        assertFalse(holder.find("a").orElseThrow().blocked());
    }

    @Test
    void shouldNotBeReadyBeforeAFirstGoodVersion() throws Exception {
        RegistryHolderTest.Recording holder = holder(source());
        assertFalse(holder.status().ready());
        assertTrue(holder.status().detail().contains("404"), holder.status().detail());
        azurite.upload(container, "registry.json", registry("a", false));
        holder.check();
        assertTrue(holder.status().ready());
    }

    @Test
    void shouldSayWhenTheStoreRefusesWithoutQuotingTheCredential() throws Exception {
        azurite.upload(container, "registry.json", registry("a", false));
        String wrongKey = azurite.wrongKeyConnectionString();
        BlobSource source = BlobSource.create(azurite.url(container, "registry.json"), Optional.of(wrongKey));
        IOException refused = assertThrows(IOException.class, () -> source.changedSince(null));
        assertTrue(refused.getMessage().contains("answered 403"), refused.getMessage());
        assertTrue(refused.getMessage().contains("access denied"), refused.getMessage());
        assertFalse(refused.getMessage().contains("AccountKey"), refused.getMessage());

        RegistryHolderTest.Recording holder = holder(source);
        assertFalse(holder.status().ready());
        assertTrue(holder.status().detail().contains("403"), holder.status().detail());
    }

    @Test
    void shouldReadWithASasInTheUrlAndNeverShowIt() throws Exception {
        azurite.upload(container, "registry.json", registry("a", false));
        BlobClient blob = azurite.blob(container, "registry.json");
        String sas = blob.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobSasPermission().setReadPermission(true)));
        BlobSource source = BlobSource.create(blob.getBlobUrl() + "?" + sas, Optional.empty());
        assertFalse(source.description().contains("sig="), source.description());
        RegistryHolderTest.Recording holder = holder(source);
        assertTrue(holder.status().ready(), holder.status().detail());

        BlobSource expired = BlobSource.create(blob.getBlobUrl() + "?" + blob.generateSas(new BlobServiceSasSignatureValues(
                OffsetDateTime.now().minusHours(1), new BlobSasPermission().setReadPermission(true))), Optional.empty());
        IOException refused = assertThrows(IOException.class, () -> expired.changedSince(null));
        assertTrue(refused.getMessage().contains("403"), refused.getMessage());
        assertFalse(refused.getMessage().contains("sig="), refused.getMessage());
    }

    @Test
    void shouldSayWhenTheStoreCannotBeReached() throws Exception {
        BlobSource source = BlobSource.create("http://127.0.0.1:9/devstoreaccount1/registry/registry.json",
                Optional.of(azurite.connectionString()));
        long started = System.nanoTime();
        IOException unreachable = assertThrows(IOException.class, () -> source.changedSince(null));
        assertTrue(unreachable.getMessage().contains("cannot be reached"), unreachable.getMessage());
        assertTrue(System.nanoTime() - started < 30_000_000_000L, "a check is bounded");
    }

    @Test
    void shouldRefuseABrokenConnectionStringWithoutQuotingIt() {
        String broken = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;BlobEndpoint";
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BlobSource.create(azurite.url(container, "registry.json"), Optional.of(broken)));
        assertTrue(refused.getMessage().contains("cannot be used"), refused.getMessage());
        assertFalse(refused.getMessage().contains("c2VjcmV0"), refused.getMessage());
    }

    @Test
    void shouldWorkWithoutJavaHomeAsInANativeImage() throws Exception {
        azurite.upload(container, "registry.json", registry("a", false));
        String javaHome = System.getProperty("java.home");
        System.clearProperty("java.home");
        try {
            assertTrue(source().changedSince(null).isPresent());
        } finally {
            System.setProperty("java.home", javaHome);
        }
    }

    @Test
    void shouldRefuseUrlsThatNameNoBlob() {
        for (String url : List.of("registry.json", "ftp://host/c/b", "https://account.blob.core.windows.net/registry",
                "http://127.0.0.1:10000/devstoreaccount1/registry", "not a url at all")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> BlobSource.create(url, Optional.empty()), url);
            assertTrue(refused.getMessage().contains("allocator.registry.blob-url"), refused.getMessage());
        }
    }
}
