package io.github.dpsjwt.device;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric key of a device in a DPS enrollment group: HMAC-SHA256 of the registration id, keyed
 * with the group key, as DPS computes it ({@code az iot dps enrollment-group compute-device-key}).
 */
final class DerivedKeys {

    private DerivedKeys() {
    }

    /**
     * @param groupKey the enrollment group's key, base64
     * @param registrationId the device's registration id
     * @return the device key, base64
     */
    static String deviceKey(String groupKey, String registrationId) throws GeneralSecurityException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(groupKey.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the group key is not base64");
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(registrationId.getBytes(StandardCharsets.UTF_8)));
    }
}
