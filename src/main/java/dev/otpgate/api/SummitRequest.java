package dev.otpgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.auth.Credentials;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The vendor's request envelope. Ids are Strings because clients send both {@code 967} and
 * {@code "967"}; Jackson turns a JSON number into its text. {@code objUserInformation} stays a tree
 * until the ServiceName says what it should hold.
 */
@RegisterForReflection
public record SummitRequest(
        @JsonProperty("ServiceName") String serviceName,
        @JsonProperty("objCommonParameters") CommonParameters commonParameters) {

    /** The caller's proof, or none when the envelope has no _ProxyDetails. */
    public Credentials credentials() {
        ProxyDetails p = commonParameters == null ? null : commonParameters.proxyDetails();
        return p == null ? Credentials.NONE
                : new Credentials(p.authType(), p.userName(), p.password(), p.apiKey(), p.tokenId(), p.orgId());
    }

    @Override
    public String toString() {
        return "SummitRequest[ServiceName=" + serviceName + ", " + commonParameters + "]";
    }

    @RegisterForReflection
    public record CommonParameters(
            @JsonProperty("_ProxyDetails") ProxyDetails proxyDetails,
            @JsonProperty("objUserInformation") JsonNode userInformation) {

        @Override
        public String toString() { // objUserInformation is raw input: it may hold OTP_Text
            return "CommonParameters[" + proxyDetails + "]";
        }
    }

    /** The caller's credentials and client facts; see summit-envelope.md. */
    @RegisterForReflection
    public record ProxyDetails(
            @JsonProperty("AuthType") String authType,
            @JsonProperty("UserName") String userName,
            @JsonProperty("Password") String password,
            @JsonProperty("APIKey") String apiKey,
            @JsonProperty("TokenID") String tokenId,
            @JsonProperty("OrgID") String orgId,
            @JsonProperty("SAASOrgID") String saasOrgId,
            @JsonProperty("ProxyID") String proxyId,
            @JsonProperty("LoginUID") String loginUid,
            @JsonProperty("ReturnType") String returnType,
            @JsonProperty("RequestType") String requestType,
            @JsonProperty("MobileVersion") String mobileVersion) {

        @Override
        public String toString() { // keep secrets out of any log line that prints a request
            return "ProxyDetails[AuthType=" + authType + ", UserName=" + userName + ", OrgID=" + orgId + "]";
        }
    }
}
