package dev.otpgate.otp;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.context.ApplicationScoped;

/** The clock every expiry is computed with; a bean so that tests can move time. */
public class Clocks {

    @Produces
    @ApplicationScoped // normal-scoped, so that a test can move time with QuarkusMock
    Clock clock() {
        return Clock.systemUTC();
    }
}
