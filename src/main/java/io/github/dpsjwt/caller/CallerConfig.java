package io.github.dpsjwt.caller;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * Who may call the webhook ({@code allocator.caller.*}).
 */
@ConfigMapping(prefix = "allocator.caller")
public interface CallerConfig {

    /**
     * Secrets a caller must present, as {@code ?code=<key>} (as DPS does when the key is in its webhook
     * URL) or in the {@code x-functions-key} header (comma list, so keys can be rotated). Env
     * {@code ALLOCATOR_CALLER_KEYS}. Unset (the default): no check, for hosts that authenticate the caller
     * themselves, like Azure Functions with {@code authLevel: function}. Set it wherever the app is
     * reachable directly, as on Container Apps.
     */
    Optional<List<String>> keys();
}
