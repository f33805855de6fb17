package io.github.dpsjwt.allocation.rest;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long the webhook waits for a caller ({@code allocator.http.*}). The connection limits themselves are
 * Quarkus's keys, set in {@code application.properties}: {@code quarkus.http.idle-timeout} (30 s) and
 * {@code quarkus.http.limits.max-connections} (1,000).
 */
@ConfigMapping(prefix = "allocator.http")
public interface HttpConfig {

    /**
     * How long a request's body may take to arrive, from its headers to its last byte. A body still incomplete
     * then is answered 408 {@code request_timeout} and its connection closed. DPS sends its few kilobytes at once;
     * a client that trickles a body holds no thread while it does, only this long. Default {@code 10s}.
     */
    @WithDefault("10s")
    Duration requestTimeout();
}
