package io.github.dpsjwt.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DerivedKeysTest {

    @Test
    void shouldDeriveTheDeviceKeyDpsDocuments() throws Exception {
        // the example of "az iot dps enrollment-group compute-device-key" in the DPS documentation
        assertEquals("Jsm0lyGpjaVYVP2g3FnmnmG9dI/9qU24wNoykUmermc=", DerivedKeys.deviceKey(
                "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==",
                "sn-007-888-abc-mac-a1-b2-c3-d4-e5-f6"));
    }

    @Test
    void shouldRefuseAGroupKeyThatIsNotBase64() {
        assertThrows(IllegalArgumentException.class, () -> DerivedKeys.deviceKey("not base64!", "dev-1"));
    }
}
