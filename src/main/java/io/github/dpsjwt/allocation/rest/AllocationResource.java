package io.github.dpsjwt.allocation.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.github.dpsjwt.allocation.AllocationRequest;
import io.github.dpsjwt.allocation.AllocationResponse;
import io.github.dpsjwt.allocation.AllocationService;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code POST /api/validatejwt}: the DPS custom allocation webhook (the seed's function name). JSON in,
 * JSON out; everything else lives in {@link AllocationService}.
 */
@Path(AllocationResource.PATH)
public class AllocationResource {

    /** Where DPS posts: the seed's function name, as the Functions host routes it. */
    public static final String PATH = "/api/validatejwt";

    private final AllocationService service;

    AllocationResource(AllocationService service) {
        this.service = service;
    }

    /** Verification is CPU-only and the registry is in memory, so this runs on the I/O thread. */
    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public AllocationResponse allocate(AllocationRequest request) {
        return service.allocate(request);
    }
}
