package dev.otpgate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.CallLines;
import dev.otpgate.support.FromSource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Issue 22, finding 11: with CloudFront's shared origin-facing ranges as trusted proxies, every distribution on AWS
 * (an attacker's own, without the WAF) could write the X-Forwarded-For the limits count by. The function believes
 * that header only when the request also carries the origin secret, which only this deployment's distribution adds.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
@TestProfile(OriginSecretTest.BehindCloudFront.class)
class OriginSecretTest extends FunctionTest {

    static final String SECRET = "b3JpZ2luIHNlY3JldCBvZiB0aGUgdGVzdHMsIG5vdCBhIHNlY3JldA";
    static final String EDGE = "198.18.0.5"; // stands for one of CloudFront's origin-facing addresses
    static final String CLIENT = "203.0.113.9";

    public static class BehindCloudFront implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.source.trusted-proxies", "198.18.0.0/15", "otp.source.origin-secret", SECRET);
        }
    }

    @Test
    void theForwardedForIsBelievedOnlyWithTheOriginSecret() {
        try (CallLines lines = CallLines.capture()) {
            FromSource.post(Seed.request(), EDGE, CLIENT, Map.of("x-origin-verify", SECRET));
            assertEquals(CLIENT, lines.last().path("sourceIp").asText(), "our distribution: its viewer is the client");

            data.clearLimits();
            FromSource.post(Seed.request(), EDGE, CLIENT);
            assertEquals(EDGE, lines.last().path("sourceIp").asText(), "another distribution: the header is not believed");

            data.clearLimits();
            FromSource.post(Seed.request(), EDGE, CLIENT, Map.of("x-origin-verify", SECRET.substring(1) + "A"));
            assertEquals(EDGE, lines.last().path("sourceIp").asText(), "a wrong secret: not believed either");
        }
    }
}
