package dev.otpgate;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** GenerateOtpTest's bodies against the packaged function (target/*-runner.jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class GenerateOtpIT extends GenerateOtpTest {
}
