package io.github.dpsjwt.registry;

/**
 * Whether a credential's key belongs to one device only. A token signed by a key that several devices hold
 * proves only that one of them signed it, so it must name its device ({@code registration_id} or {@code sub}).
 */
public enum KeyOwners {
    /** The key is this device's alone in the registry. */
    ONE_DEVICE,
    /** Other devices hold the same key (seed mode: every device), or uniqueness is not established. */
    SEVERAL_DEVICES,
    /** The registry is still being read; whether the key is unique is known after its full read. */
    NOT_KNOWN_YET
}
