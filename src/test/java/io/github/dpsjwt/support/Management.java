package io.github.dpsjwt.support;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health), which listens on a port of its own: 9001 in tests. */
public final class Management {

    private Management() {
    }

    /** The management interface's port in this test run. */
    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }

    /** A rest-assured request to the management interface. */
    public static RequestSpecification request() {
        return given().port(port());
    }
}
