package io.github.dpsjwt.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

class DevicePrincipalFactoryTest {

    @Test
    void shouldAnswerEveryClaimAsSmallRyesDefaultPrincipalDoes() throws Exception {
        String json = "{\"iat\":1700000000,\"exp\":1700003600,\"nbf\":1700000000,\"sub\":\"dev-1\",\"aud\":[\"p1\",\"p2\"],"
                + "\"registration_id\":\"dev-1\",\"groups\":[\"g\"],\"jti\":\"j\",\"custom\":{\"a\":[1,2]},\"n\":7,\"flag\":true}";
        DefaultJWTCallerPrincipal stock = new DefaultJWTCallerPrincipal("JWT", JwtClaims.parse(json));
        DevicePrincipalFactory.DevicePrincipal ours = new DevicePrincipalFactory.DevicePrincipal("JWT", JwtClaims.parse(json));
        for (String name : List.of("iat", "exp", "nbf", "sub", "aud", "registration_id", "groups", "jti", "custom", "n", "flag",
                "absent", "UNKNOWN", "raw_token")) {
            Object expected = stock.getClaim(name);
            Object actual = ours.getClaim(name);
            assertEquals(expected == null ? null : expected.getClass(), actual == null ? null : actual.getClass(), name);
            assertEquals(String.valueOf(expected), String.valueOf(actual), name);
        }
        assertEquals(stock.getExpirationTime(), ours.getExpirationTime());
        assertEquals(stock.getAudience(), ours.getAudience());
        assertEquals(stock.getName(), ours.getName());
    }
}
