package io.github.dpsjwt.registry;

/**
 * A credential's key material that cannot serve as a verification key. The message says why and never
 * contains the key itself.
 */
public class InvalidKeyException extends Exception {

    public InvalidKeyException(String message) {
        super(message, null, false, false);
    }
}
