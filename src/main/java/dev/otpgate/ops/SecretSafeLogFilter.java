package dev.otpgate.ops;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps signing material and request bodies out of every log handler, whatever level an operator sets
 * (docs/operate.md "Log levels and what never reaches a log"). Below INFO, the AWS SDK logs each
 * canonical request, whose last line is the
 * SHA-256 of the body (an SNS Publish holds the number and the code: a million hashes give the code
 * back), and the JDK's HTTP client logs every header, the role's session token included. Those
 * categories are capped at INFO here, however they are configured; and a line that carries signing
 * material is dropped at any level, from any category.
 */
@LoggingFilter(name = SecretSafeLogFilter.NAME)
public final class SecretSafeLogFilter implements Filter {

    public static final String NAME = "secret-safe";

    /** Categories whose DEBUG and TRACE lines hold request bodies, their hashes or credentials. */
    static final List<String> CAPPED = List.of("software.amazon.awssdk", "sun.net.www", "org.apache.http",
            "io.netty.handler.logging", "io.vertx.core.http");

    /** Words that only signing material or credentials are written with. */
    static final List<String> SIGNING = List.of("Canonical Request", "String to sign", "AWS4-HMAC-SHA256",
            "X-Amz-Security-Token", "x-amz-security-token", "X-Amz-Content-Sha256", "x-amz-content-sha256");

    @Override
    public boolean isLoggable(LogRecord record) {
        String category = record.getLoggerName();
        if (record.getLevel().intValue() < Level.INFO.intValue() && category != null
                && CAPPED.stream().anyMatch(category::startsWith)) {
            return false;
        }
        String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return text == null || SIGNING.stream().noneMatch(text::contains);
    }
}
