package io.github.dpsjwt.support;


/** Waits for the registry, which loads off the start-up path. */
public final class Ready {

    private Ready() {
    }

    public static void await() {
        long deadline = System.currentTimeMillis() + 20_000;
        while (Management.request().get("/q/health/ready").statusCode() != 200) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("webhook not ready after 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
