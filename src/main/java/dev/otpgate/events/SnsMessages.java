package dev.otpgate.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Amazon SNS's HTTPS messages: is one authentic (signed by SNS with the certificate its SigningCertURL names, which must
 * be SNS's own URL; SignatureVersion 1 SHA1withRSA or 2 SHA256withRSA, over the fields SNS documents, in their order)
 * and from the expected topic; and the confirmation of a subscription (a GET of its SubscribeURL, SNS's own URL too).
 * Plain JDK security and HTTP: nothing reflective, native-image friendly. Certificates are cached per URL: one fetch
 * per instance and certificate.
 */
@ApplicationScoped
class SnsMessages {

    private static final int TIMEOUT_MILLIS = 2000;
    /** SNS signs with one certificate per region, rotated rarely: more is someone naming other SNS URLs. */
    private static final int MAX_CERTIFICATES = 16;
    private static final String[] NOTIFICATION = { "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type" };
    private static final String[] CONFIRMATION = { "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn",
            "Type" };

    private final Pattern snsUrl;
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    SnsMessages(DeliveryEventsConfig config) {
        this.snsUrl = Pattern.compile(config.snsUrlPattern());
    }

    /** True when {@code message} was signed by SNS: its certificate URL is SNS's and the signature verifies. */
    boolean authentic(JsonNode message) {
        String type = message.path("Type").asText();
        String[] fields = "Notification".equals(type) ? NOTIFICATION
                : "SubscriptionConfirmation".equals(type) || "UnsubscribeConfirmation".equals(type) ? CONFIRMATION : null;
        String certUrl = message.path("SigningCertURL").asText("");
        if (fields == null || !snsUrl.matcher(certUrl).matches()) {
            return false;
        }
        StringBuilder canonical = new StringBuilder();
        for (String field : fields) {
            JsonNode value = message.get(field);
            if (value != null && !value.isNull()) { // Subject is left out when absent
                canonical.append(field).append('\n').append(value.asText()).append('\n');
            }
        }
        String version = message.path("SignatureVersion").asText();
        try {
            Signature signature = Signature.getInstance("2".equals(version) ? "SHA256withRSA"
                    : "1".equals(version) ? "SHA1withRSA" : "none");
            signature.initVerify(key(certUrl));
            signature.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(message.path("Signature").asText("")));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Confirms a subscription by fetching its SubscribeURL, if that is SNS's; false when it is not or fails. */
    boolean confirm(JsonNode message) {
        String url = message.path("SubscribeURL").asText("");
        if (!snsUrl.matcher(url).matches()) {
            return false;
        }
        try {
            HttpURLConnection c = open(url);
            int status = c.getResponseCode();
            c.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private PublicKey key(String certUrl) throws IOException, GeneralSecurityException {
        PublicKey cached = keys.get(certUrl);
        if (cached != null) {
            return cached;
        }
        HttpURLConnection c = open(certUrl);
        try (InputStream in = c.getInputStream()) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            cert.checkValidity();
            if (keys.size() >= MAX_CERTIFICATES) {
                keys.clear();
            }
            keys.put(certUrl, cert.getPublicKey());
            return cert.getPublicKey();
        } finally {
            c.disconnect();
        }
    }

    private static HttpURLConnection open(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MILLIS);
        c.setReadTimeout(TIMEOUT_MILLIS);
        c.setInstanceFollowRedirects(false); // only the URL that was checked
        return c;
    }
}
