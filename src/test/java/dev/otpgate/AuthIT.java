package dev.otpgate;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** AuthTest's bodies against the packaged function (target/*-runner.jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class AuthIT extends AuthTest {
}
