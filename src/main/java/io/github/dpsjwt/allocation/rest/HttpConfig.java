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
     * How long a webhook request may take, from its headers until it is answered. One still unanswered then (its
     * body still trickling in) is answered 408 {@code request_timeout} and its connection closed. DPS sends its few
     * kilobytes at once and is answered in milliseconds; a client that trickles a body holds no thread while it
     * does, and its connection only this long. Default {@code 10s}.
     */
    @WithDefault("10s")
    Duration requestTimeout();
}
