package dev.otpgate.auth;

/** The outcome of a successful authentication: the caller, and the TokenID the answer carries. */
public record Authenticated(Caller caller, String tokenId) {

    @Override
    public String toString() {
        return "Authenticated[" + caller + "]";
    }
}
