package io.github.dpsjwt.device;

/**
 * A failure the user can act on: its message names the file or value, what is wrong with it and what to do.
 * {@link DpsDevice} prints it alone (no exception class, no parser internals) and exits 1.
 */
final class UserError extends Exception {

    UserError(String message) {
        super(message, null, false, false);
    }
}
