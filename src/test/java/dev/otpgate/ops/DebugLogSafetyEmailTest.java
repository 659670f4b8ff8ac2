package dev.otpgate.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Recorded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link DebugLogSafety} for an e-mail: SES SendEmail. */
@QuarkusTest
@TestProfile(DebugLogSafety.EmailAtDebug.class)
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class DebugLogSafetyEmailTest extends DebugLogSafety {

    static final Path LOG = Path.of("target", "debug-log-safety-email.log");

    @Override
    Path log() {
        return LOG;
    }

    @Override
    String generateAndReadCode() {
        post();
        List<Map<String, String>> mails = Recorded.calls(aws, "SendEmail");
        return Recorded.code(mails.get(mails.size() - 1).get("Message.Body.Text.Data"), 6);
    }
}
