package io.github.dpsjwt.error;

/**
 * Every way a request can end other than an allocation: the HTTP status DPS sees and the stable
 * reason code that the response body and the decision log carry.
 *
 * <p>The status is chosen for what DPS does with it (see docs/webhook-api.md): 401 only for an
 * unauthenticated caller, 403 for a refused device, other 4xx for requests DPS should not retry, and
 * 503 only for transient faults, since DPS retries those for minutes.
 */
public enum Reason {
    MALFORMED_REQUEST(400, "malformed_request"),
    INVALID_REGISTRATION_ID(400, "invalid_registration_id"),
    INVALID_LINKED_HUBS(400, "invalid_linked_hubs"),
    CALLER_UNAUTHORIZED(401, "caller_unauthorized"),
    TOKEN_MISSING(403, "token_missing"),
    TOKEN_MALFORMED(403, "token_malformed"),
    TOKEN_ALGORITHM_NOT_ALLOWED(403, "token_algorithm_not_allowed"),
    TOKEN_HEADER_NOT_ALLOWED(403, "token_header_not_allowed"),
    TOKEN_SIGNATURE_INVALID(403, "token_signature_invalid"),
    TOKEN_EXPIRED(403, "token_expired"),
    TOKEN_NOT_YET_VALID(403, "token_not_yet_valid"),
    TOKEN_LIFETIME_TOO_LONG(403, "token_lifetime_too_long"),
    TOKEN_CLAIMS_INVALID(403, "token_claims_invalid"),
    TOKEN_AUDIENCE_MISMATCH(403, "token_audience_mismatch"),
    TOKEN_SUBJECT_MISMATCH(403, "token_subject_mismatch"),
    TOKEN_BINDING_MISSING(403, "token_binding_missing"),
    DEVICE_UNKNOWN(403, "device_unknown"),
    DEVICE_BLOCKED(403, "device_blocked"),
    DEVICE_CREDENTIALS_EXPIRED(403, "device_credentials_expired"),
    DEVICE_CREDENTIALS_INVALID(403, "device_credentials_invalid"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    REQUEST_TIMEOUT(408, "request_timeout"),
    HUB_NOT_LINKED(409, "hub_not_linked"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    REGISTRY_NOT_READY(503, "registry_not_ready"),
    SHUTTING_DOWN(503, "shutting_down"),
    INTERNAL_ERROR(500, "internal_error");

    private final int status;
    private final String code;

    Reason(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** The HTTP status DPS receives. */
    public int status() {
        return status;
    }

    /** The stable, documented code in the response body and the decision log. */
    public String code() {
        return code;
    }
}
