package dev.otpgate.auth;

/** How a caller proved who it is; {@link #wireName()} is the answer's AuthenticationType. */
public enum AuthMethod {
    PASSWORD("password"),
    API_KEY("apikey"),
    TOKEN("token");

    private final String wireName;

    AuthMethod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
