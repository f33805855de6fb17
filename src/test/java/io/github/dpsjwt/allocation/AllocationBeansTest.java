package io.github.dpsjwt.allocation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

class AllocationBeansTest {

    @Test
    void shouldWarmUpJsonWithARequestTheRequestTypeAccepts() {
        assertTrue(AllocationBeans.warmUpJson(new ObjectMapper()));
    }

    @Test
    void shouldReportAFailedWarmUpInsteadOfThrowing() {
        ObjectMapper broken = new ObjectMapper() {
            @Override
            public <T> T readValue(String content, Class<T> valueType) throws JsonProcessingException {
                throw new JsonParseException(null, "the request shape changed");
            }
        };
        assertFalse(AllocationBeans.warmUpJson(broken));
    }
}
