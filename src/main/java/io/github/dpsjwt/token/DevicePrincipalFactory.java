package io.github.dpsjwt.token;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * SmallRye JWT's default principal factory, parsing and verifying with the same
 * {@link DefaultJWTTokenParser}, except that the principal it makes looks claim names up in a map. The
 * default looks a custom claim such as {@code registration_id} up with {@code Claims.valueOf}, which
 * throws (and fills in a stack trace) for every name that is not a standard claim: 2 % of the webhook's
 * CPU under load, measured with async-profiler.
 */
final class DevicePrincipalFactory extends JWTCallerPrincipalFactory {

    private static final Map<String, Claims> STANDARD = new HashMap<>();

    static {
        for (Claims claim : Claims.values()) {
            STANDARD.put(claim.name(), claim);
        }
    }

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JwtContext context = parser.parse(token, authContextInfo);
        return new DevicePrincipal(context.getJoseObjects().get(0).getHeader("typ"), context.getJwtClaims());
    }

    /** The default principal, with a claim-type lookup that does not throw. */
    static final class DevicePrincipal extends DefaultJWTCallerPrincipal {

        DevicePrincipal(String type, JwtClaims claims) {
            super(type, claims);
        }

        @Override
        protected Claims getClaimType(String claimName) {
            return STANDARD.getOrDefault(claimName, Claims.UNKNOWN);
        }
    }
}
