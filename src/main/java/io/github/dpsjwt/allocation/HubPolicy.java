package io.github.dpsjwt.allocation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;

/**
 * Chooses the hub for an admitted device, always from the request's {@code linkedHubs}.
 *
 * <ol>
 * <li>A configured hub ({@code IOT_HUB_HOSTNAME}) is used when linked, and refused (409) when not: DPS
 * would reject a hub outside {@code linkedHubs} anyway, and this says why.</li>
 * <li>Otherwise, on re-registration, the device keeps its current hub when that is still linked (unless
 * {@code keep-current-hub} is off), so devices do not move and lose their hub-side state.</li>
 * <li>Otherwise rendezvous hashing: each (device, hub) pair gets a stable pseudo-random weight and the
 * heaviest hub wins. The same device lands on the same hub for the same list, devices spread evenly,
 * and adding a hub moves only the devices that now weigh most on it.</li>
 * </ol>
 */
public final class HubPolicy {

    private final String fixedHub;
    private final boolean keepCurrentHub;

    public HubPolicy(Optional<String> fixedHub, boolean keepCurrentHub) {
        this.fixedHub = fixedHub.map(String::trim).filter(hub -> !hub.isEmpty()).orElse(null);
        this.keepCurrentHub = keepCurrentHub;
    }

    /**
     * @param registrationId the admitted device
     * @param linkedHubs the hubs DPS allows, validated as host names
     * @param currentHub the device's current hub on re-registration, or {@code null}
     * @return the chosen entry of {@code linkedHubs}, spelled as DPS spelled it
     */
    public String choose(String registrationId, List<String> linkedHubs, String currentHub) {
        if (fixedHub != null) {
            return linked(fixedHub, linkedHubs).orElseThrow(() -> new RefusalException(Reason.HUB_NOT_LINKED,
                    "the configured hub " + fixedHub + " is not one of this enrollment's linked hubs"));
        }
        if (keepCurrentHub && currentHub != null) {
            Optional<String> current = linked(currentHub, linkedHubs);
            if (current.isPresent()) {
                return current.get();
            }
        }
        String device = registrationId.toLowerCase(Locale.ROOT);
        String best = null;
        long bestWeight = 0;
        for (String hub : linkedHubs) {
            long weight = weight(device, hub.toLowerCase(Locale.ROOT));
            if (best == null || Long.compareUnsigned(weight, bestWeight) > 0) {
                best = hub;
                bestWeight = weight;
            }
        }
        return best;
    }

    private static Optional<String> linked(String hub, List<String> linkedHubs) {
        return linkedHubs.stream().filter(hub::equalsIgnoreCase).findFirst();
    }

    /** FNV-1a over "device\nhub", finished with a 64-bit mixer so that similar names weigh unalike. */
    static long weight(String device, String hub) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (device + '\n' + hub).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
