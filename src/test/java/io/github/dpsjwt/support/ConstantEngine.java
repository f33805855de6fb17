package io.github.dpsjwt.support;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.dpsjwt.signature.Es256Engine;
import io.github.dpsjwt.signature.Es256PublicKey;

/** An ES256 engine that gives one answer to every signature and counts the calls: a broken engine, for tests. */
public final class ConstantEngine implements Es256Engine {

    private final String name;
    private final boolean answer;
    private final AtomicInteger calls = new AtomicInteger();

    public ConstantEngine(String name, boolean answer) {
        this.name = name;
        this.answer = answer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean verify(Es256PublicKey key, byte[] signedInput, byte[] signature) {
        calls.incrementAndGet();
        return answer;
    }

    /** How many signatures it was asked about. */
    public int calls() {
        return calls.get();
    }
}
