package io.github.dpsjwt.device;

/** A registry store where another operator writes between an edit's read and its write, the first time only. */
final class RacingStore extends RegistryStore {

    private final RegistryStore store;
    private final Runnable other;
    private boolean raced;

    /**
     * @param store the real store
     * @param other the other operator's write
     */
    RacingStore(RegistryStore store, Runnable other) {
        this.store = store;
        this.other = other;
    }

    @Override
    Snapshot read() throws UserError {
        return store.read();
    }

    @Override
    void write(byte[] text, String expected) throws UserError, Conflict {
        if (!raced) {
            raced = true;
            other.run();
        }
        store.write(text, expected);
    }

    @Override
    String describe() {
        return store.describe();
    }
}
