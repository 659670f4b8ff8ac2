package dev.otpgate.auth;

/** What a request offers as proof: the credential fields of the envelope's _ProxyDetails. */
public record Credentials(String authType, String userName, String password, String apiKey, String tokenId,
        String orgId) {

    public static final Credentials NONE = new Credentials(null, null, null, null, null, null);

    @Override
    public String toString() { // never print a secret by accident
        return "Credentials[AuthType=" + authType + ", UserName=" + userName + ", OrgID=" + orgId + "]";
    }
}
