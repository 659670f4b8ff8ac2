package dev.otpgate.otp;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The time a call has in all (prefix {@code otp.deadline}); {@link RequestDeadline} spends it. */
@ConfigMapping(prefix = "otp.deadline")
public interface DeadlineConfig {

    /**
     * The Lambda function's {@code Timeout} (template.yaml; TemplateTest keeps the two equal). Only the tests set
     * it, to reach the deadline without slowing a request down by seconds.
     */
    @WithDefault("PT10S")
    Duration functionTimeout();
}
