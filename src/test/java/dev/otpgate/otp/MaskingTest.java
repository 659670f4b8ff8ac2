package dev.otpgate.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskingTest {

    @ParameterizedTest
    @CsvSource({ "+14155554219, ********4219", "+33612345678, ********5678", "12, ****" })
    void phonesShowTheLastFourDigitsOnly(String phone, String masked) {
        assertEquals(masked, Masking.phone(phone));
    }

    @ParameterizedTest
    @CsvSource({ "abcd@example.com, ab***@ex***.com", "Vishal@symphony.com, Vi***@sy***.com", "a@b.io, a***@b***.io",
            "no-at-sign, ***" })
    void emailsShowTwoLettersOfNameAndHost(String email, String masked) {
        assertEquals(masked, Masking.email(email));
    }
}
