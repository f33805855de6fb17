package io.github.dpsjwt.error;

/**
 * The one exception type for a request that ends without an allocation. It carries a {@link Reason}
 * and a message safe to return to the caller: never a token, a key or a stack trace.
 */
public class RefusalException extends RuntimeException {

    private final Reason reason;

    public RefusalException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
