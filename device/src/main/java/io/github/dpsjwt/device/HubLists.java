package io.github.dpsjwt.device;

/** The one syntax for lists of hub host names on every command: commas or spaces between them, or the option repeated. */
final class HubLists {

    /** picocli's {@code split} regular expression for hub lists. */
    static final String SPLIT = "[,\\s]+";

    private HubLists() {
    }
}
