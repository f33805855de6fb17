package io.github.dpsjwt.error;

import org.jboss.logging.Logger;

/**
 * The decision log: one line per request, {@code registrationId=… outcome=… reason=…}, under one category
 * ({@code io.github.dpsjwt.decision}) so that it can be routed or silenced on its own. Never a token or a key.
 */
public final class Decisions {

    /** The logger of the decision lines. */
    public static final Logger LOG = Logger.getLogger("io.github.dpsjwt.decision");

    private Decisions() {
    }

    /** Logs a request refused before its registration id was read (caller, size, media type, JSON). */
    public static void rejected(Reason reason) {
        LOG.infof("outcome=rejected reason=%s status=%d", reason.code(), reason.status());
    }
}
