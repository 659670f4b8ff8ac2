package dev.otpgate.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.smallrye.config.WithDefault;

/**
 * The URLs a delivery event may make the function fetch (its signing certificate, its subscription's confirmation):
 * the deployed default of {@code otp.delivery-events.sns-url-pattern}, which the tests' profiles replace with the
 * local recorder's address.
 */
class SnsUrlPatternTest {

    private static final Pattern DEFAULT;

    static {
        try {
            DEFAULT = Pattern.compile(DeliveryEventsConfig.class.getMethod("snsUrlPattern")
                    .getAnnotation(WithDefault.class).value());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
            "https://sns.ap-southeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-0123abcd.pem",
            "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:t&Token=2336412f37"})
    void snsOwnCertificatesAndConfirmationsPass(String url) {
        assertTrue(DEFAULT.matcher(url).matches(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // hosts under amazonaws.com that are not SNS's: S3 virtual-host names of a bucket called "sns"
            "https://sns.s3.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.s3-accelerate.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.s3-website-us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            // SNS's name in front of someone else's host, a port, plain HTTP
            "https://sns.us-east-1.amazonaws.com.example.net/SimpleNotificationService-0123abcd.pem",
            "https://sns.us-east-1.amazonaws.com@example.net/SimpleNotificationService-0123abcd.pem",
            "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-0123abcd.pem",
            "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            // SNS's host, but not a certificate or a confirmation: no other call of SNS's API through a message
            "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:1:t:x",
            "https://sns.us-east-1.amazonaws.com/other.pem"})
    void anythingElseIsRefused(String url) {
        assertFalse(DEFAULT.matcher(url).matches(), url);
    }
}
