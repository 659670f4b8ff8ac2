package dev.otpgate.api;

/** What an id of the envelope may look like: printable, no spaces, no control characters. */
final class Ids {

    static final String PATTERN = "[\\p{Alnum}._@:-]*";
    static final String MESSAGE = "may hold only letters, digits and . _ @ : -";

    private Ids() {
    }
}
