package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;

class HubPolicyTest {

    static final List<String> THREE = List.of("hub-a.azure-devices.net", "hub-b.azure-devices.net", "hub-c.azure-devices.net");
    final HubPolicy spread = new HubPolicy(Optional.empty(), true);

    @Test
    void shouldSpreadDevicesEvenly() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            counts.merge(spread.choose("device-" + i, THREE, null), 1, Integer::sum);
        }
        assertEquals(3, counts.size());
        counts.values().forEach(count -> assertTrue(Math.abs(count - 10_000) < 500, "uneven: " + counts));
    }

    @Test
    void shouldBeStableForTheSameListInAnyOrderAndCase() {
        for (int i = 0; i < 1000; i++) {
            String id = "device-" + i;
            String hub = spread.choose(id, THREE, null);
            assertEquals(hub, spread.choose(id.toUpperCase(), List.of(THREE.get(2), THREE.get(0), THREE.get(1)), null));
        }
    }

    @Test
    void shouldMoveOnlyTheDevicesThatGoToAnAddedHub() {
        List<String> four = List.of(THREE.get(0), THREE.get(1), THREE.get(2), "hub-d.azure-devices.net");
        int moved = 0;
        for (int i = 0; i < 10_000; i++) {
            String before = spread.choose("device-" + i, THREE, null);
            String after = spread.choose("device-" + i, four, null);
            if (!before.equals(after)) {
                assertEquals("hub-d.azure-devices.net", after);
                moved++;
            }
        }
        assertTrue(moved > 2_000 && moved < 3_000, "moved " + moved);
    }

    @Test
    void shouldKeepTheCurrentHubWhileLinkedUnlessTurnedOff() {
        String current = "hub-c.azure-devices.net";
        assertEquals(current, spread.choose("device-1", THREE, "HUB-C.azure-devices.net"));
        assertEquals(spread.choose("device-1", THREE, null), spread.choose("device-1", THREE, "hub-z.azure-devices.net"));
        HubPolicy rebalance = new HubPolicy(Optional.empty(), false);
        for (int i = 0; i < 100; i++) {
            assertEquals(rebalance.choose("device-" + i, THREE, null), rebalance.choose("device-" + i, THREE, current));
        }
    }

    @Test
    void shouldUseTheFixedHubOnlyWhenLinked() {
        HubPolicy fixed = new HubPolicy(Optional.of(" hub-b.azure-devices.net "), true);
        assertEquals("hub-b.azure-devices.net", fixed.choose("device-1", THREE, "hub-a.azure-devices.net"));
        RefusalException refusal = assertThrows(RefusalException.class,
                () -> fixed.choose("device-1", List.of("hub-a.azure-devices.net"), null));
        assertEquals(Reason.HUB_NOT_LINKED, refusal.reason());
        assertEquals(spread.choose("d", THREE, null), new HubPolicy(Optional.of(""), true).choose("d", THREE, null));
    }
}
