package dev.otpgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** ADM_GenerateOTP's objUserInformation: all four fields are mandatory. */
@RegisterForReflection
public record GenerateOtpInput(
        @JsonProperty("DomainId") @NotBlank @Size(max = 64) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String domainId,
        @JsonProperty("UserID") @NotBlank @Size(max = 64) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String userId,
        @JsonProperty("LoginUID") @NotBlank @Size(max = 64) @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE) String loginUid,
        @JsonProperty("UserName") @NotBlank @Size(max = 256) String userName) {
}
