package dev.otpgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** ADM_ValidateOTP's objUserInformation: the typed code, the generate answer's TransactionID, the LoginUID. */
@RegisterForReflection
public record ValidateOtpInput(
        @JsonProperty("OTP_Text") @NotBlank @Size(max = 32) String otpText,
        @JsonProperty("TransactionID") @NotBlank @Size(max = 64) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String transactionId,
        @JsonProperty("LoginUID") @NotBlank @Size(max = 64) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String loginUid) {

    @Override
    public String toString() { // the typed code stays out of any log line
        return "ValidateOtpInput[TransactionID=" + transactionId + ", LoginUID=" + loginUid + "]";
    }
}
