package dev.otpgate.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The vendor's response envelope, key for key and in the seed's order. {@code Output},
 * {@code OutputID} and {@code Input} are never defined by the vendor and always "", 0 and null.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "Errors", "Message", "Output", "TokenID", "OrgID", "OutputObject", "OutputID", "Input" })
public record SummitResponse(
        @JsonProperty("Errors") String errors,
        @JsonProperty("Message") String message,
        @JsonProperty("Output") String output,
        @JsonProperty("TokenID") String tokenId,
        @JsonProperty("OrgID") int orgId,
        @JsonProperty("OutputObject") Map<String, List<Object>> outputObject,
        @JsonProperty("OutputID") int outputId,
        @JsonProperty("Input") Object input) {

    @Override
    public String toString() { // the TokenID is a bearer credential
        return "SummitResponse[Errors=" + errors + ", OutputObject=" + (outputObject == null ? null : outputObject.keySet())
                + "]";
    }

    public static SummitResponse ok(String tokenId, String outputName, Object item) {
        return new SummitResponse("", "", "", tokenId, 0, Map.of(outputName, List.of(item)), 0, null);
    }

    public static SummitResponse error(String errors) {
        return new SummitResponse(errors, "", "", "", 0, null, 0, null);
    }

    /** One item of OTP_Communication, as in the seed. */
    @RegisterForReflection
    @JsonPropertyOrder({ "Message", "AuthenticationType", "TransactionID" })
    public record OtpCommunication(
            @JsonProperty("Message") String message,
            @JsonProperty("AuthenticationType") String authenticationType,
            @JsonProperty("TransactionID") String transactionId) {
    }

    /** One item of OTP_Validation. */
    @RegisterForReflection
    public record OtpValidation(@JsonProperty("Message") String message) {
    }
}
