package io.github.dpsjwt.allocation;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where admitted devices go and what they are given ({@code allocator.allocation.*}).
 */
@ConfigMapping(prefix = "allocator.allocation")
public interface AllocationConfig {

    /**
     * The one hub every device goes to; it must be among the request's {@code linkedHubs}, else the
     * request is refused with 409. Env {@code IOT_HUB_HOSTNAME}, as the seed's app setting. Unset (the
     * default): choose among {@code linkedHubs}, see {@link #keepCurrentHub()}.
     */
    Optional<String> iotHubHostname();

    /**
     * On re-registration, keep a device on its current hub while that hub is still linked, instead of
     * rebalancing it. Applies only when no fixed hub is set. Default {@code true}.
     */
    @WithDefault("true")
    boolean keepCurrentHub();

    /**
     * The initial device twin to answer with, as JSON holding only {@code tags} and
     * {@code properties.desired}, e.g. {@code {"tags":{"migratedFrom":"gcp-iot-core"}}}. Checked at
     * start-up. Unset (the default): no {@code initialTwin} is sent and DPS uses the enrollment's.
     */
    Optional<String> initialTwin();
}
