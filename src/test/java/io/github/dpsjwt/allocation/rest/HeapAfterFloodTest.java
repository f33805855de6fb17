package io.github.dpsjwt.allocation.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class HeapAfterFloodTest {

    final AtomicInteger collections = new AtomicInteger();
    final HeapAfterFlood heap = new HeapAfterFlood(collections::incrementAndGet);

    @Test
    void shouldCollectOnceWhenAFloodIsOver() {
        assertFalse(heap.check(), "ordinary traffic sheds nothing");
        heap.bodyShed();
        heap.bodyShed();
        assertFalse(heap.check(), "not while bodies are being shed");
        heap.bodyShed();
        assertFalse(heap.check());
        assertTrue(heap.check(), "a whole quiet period after the flood");
        assertFalse(heap.check());
        assertFalse(heap.check());
        assertEquals(1, collections.get());
    }
}
