package dev.otpgate.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link DebugLogSafety} for an SMS: SNS Publish. */
@QuarkusTest
@TestProfile(DebugLogSafety.SmsAtDebug.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class DebugLogSafetySmsTest extends DebugLogSafety {

    static final Path LOG = Path.of("target", "debug-log-safety-sms.log");

    @Override
    Path log() {
        return LOG;
    }

    @Override
    String generateAndReadCode() {
        post();
        List<Map<String, String>> sms = Recorded.calls(aws, "Publish");
        return Recorded.code(sms.get(sms.size() - 1).get("Message"), 6);
    }
}
