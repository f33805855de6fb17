package io.github.dpsjwt.registry.source;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the Azure SDK reads by reflection in a native image, beyond the configuration its own jars ship: response
 * types azure-core builds reflectively, and the managed identity's token response in msal4j. The run-time
 * initialization of the SDK's shared HTTP client is in {@code application.properties}
 * ({@code quarkus.native.additional-build-args}).
 */
@RegisterForReflection(targets = {
        com.azure.core.util.DateTimeRfc1123.class,
        com.azure.core.http.rest.StreamResponse.class,
        com.azure.core.http.rest.ResponseBase.class,
        com.azure.core.http.HttpHeaderName.class },
        classNames = {
                "com.microsoft.aad.msal4j.ManagedIdentityResponse",
                "com.microsoft.aad.msal4j.AadInstanceDiscoveryResponse",
                "com.microsoft.aad.msal4j.InstanceDiscoveryMetadataEntry" })
final class AzureSdkNativeSupport {

    private AzureSdkNativeSupport() {
    }
}
