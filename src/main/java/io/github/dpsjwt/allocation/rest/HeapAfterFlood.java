package io.github.dpsjwt.allocation.rest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives back the memory a flood of slow or oversize request bodies took, once the flood is over. Each such body
 * holds up to the body limit for up to the request timeout, long enough to be moved to the old generation, whose
 * heap the JVM's serial collector keeps committed until a full collection. So when bodies were shed (timed out,
 * too large or abandoned) and then none for a whole check period, this runs one full collection, and the heap
 * shrinks back ({@code -XX:-ShrinkHeapInSteps} in {@code deploy/jvm.options} lets one collection do it). Ordinary
 * traffic sheds nothing and never triggers it.
 */
final class HeapAfterFlood {

    private final AtomicLong shed = new AtomicLong();
    private final Runnable collect;
    private long seenAtLastCheck;
    private boolean flooded;

    /** @param collect what gives the memory back: {@code System::gc} */
    HeapAfterFlood(Runnable collect) {
        this.collect = collect;
    }

    /** Counts a body that was timed out, refused as too large or abandoned. Called on any I/O thread. */
    void bodyShed() {
        shed.incrementAndGet();
    }

    /**
     * Called once per check period, from one thread.
     *
     * @return whether it collected
     */
    boolean check() {
        long now = shed.get();
        boolean quiet = now == seenAtLastCheck;
        seenAtLastCheck = now;
        if (!quiet) {
            flooded = true;
            return false;
        }
        if (flooded) {
            flooded = false;
            collect.run();
            return true;
        }
        return false;
    }
}
