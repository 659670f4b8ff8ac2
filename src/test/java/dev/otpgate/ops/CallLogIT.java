package dev.otpgate.ops;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CallLogTest's bodies against the packaged function: the lines are read from the function's own output. */
@QuarkusIntegrationTest
class CallLogIT extends CallLogTest {
}
