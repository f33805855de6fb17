package io.github.dpsjwt.token;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.dpsjwt.error.Reason;
import io.github.dpsjwt.error.RefusalException;

/**
 * The one encoding of a compact JWS that is accepted: three segments of base64url without padding (RFC 7515),
 * each in its canonical form (unused trailing bits zero), nothing else in the string (no padding, no {@code +}
 * or {@code /}, no white space, no line breaks), and a header and claims that are valid UTF-8. jose4j alone
 * decodes leniently, so the same signature could otherwise be spelled many ways.
 */
final class TokenEncoding {

    private TokenEncoding() {
    }

    /** @throws RefusalException {@link Reason#TOKEN_MALFORMED} for any other spelling of a token */
    static void check(String token) {
        int segments = 1;
        int start = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                checkSegment(token, start, i);
                segments++;
                start = i + 1;
            } else if (value(c) < 0) {
                throw malformed("the token holds a character outside base64url (A-Z a-z 0-9 - _) and the two dots");
            }
        }
        if (segments != 3) {
            throw malformed("the token is not a compact JWS (header.payload.signature)");
        }
        checkSegment(token, start, token.length());
        int firstDot = token.indexOf('.');
        utf8(Base64.getUrlDecoder().decode(token.substring(firstDot + 1, token.lastIndexOf('.'))), "claims");
    }

    /**
     * @return {@code bytes}, after checking that they are valid UTF-8
     * @throws RefusalException {@link Reason#TOKEN_MALFORMED} otherwise
     */
    static byte[] utf8(byte[] bytes, String part) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw malformed("the token's " + part + " are not valid UTF-8");
        }
        return bytes;
    }

    private static void checkSegment(String token, int start, int end) {
        int length = end - start;
        int unusedBits = switch (length % 4) {
            case 0 -> 0;
            case 2 -> 4;
            case 3 -> 2;
            default -> throw malformed("a token segment has a length no base64url encoding has");
        };
        if (unusedBits > 0 && (value(token.charAt(end - 1)) & ((1 << unusedBits) - 1)) != 0) {
            throw malformed("a token segment is not in canonical base64url (its unused trailing bits are not zero)");
        }
    }

    /** The 6-bit value of a base64url character, or -1. */
    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    private static RefusalException malformed(String message) {
        return new RefusalException(Reason.TOKEN_MALFORMED, message);
    }
}
