package io.github.dpsjwt.error;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON body of every error answer: {@code {"error": "<stable_reason_code>", "message": "..."}}.
 *
 * @param error the stable reason code ({@link Reason#code()})
 * @param message a human-readable explanation for whoever reads DPS diagnostics or the webhook's logs
 */
@RegisterForReflection
public record ErrorBody(String error, String message) {

    public static ErrorBody of(Reason reason, String message) {
        return new ErrorBody(reason.code(), message);
    }
}
