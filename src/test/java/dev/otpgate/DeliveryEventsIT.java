package dev.otpgate;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** DeliveryEventsTest's bodies against the package that ships (docs/testing.md "Testing the package"): the JVM zip, or native with -Dnative. */
@QuarkusIntegrationTest
class DeliveryEventsIT extends DeliveryEventsTest {
}
