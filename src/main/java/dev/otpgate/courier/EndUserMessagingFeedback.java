package dev.otpgate.courier;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2Client;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.MessageFeedbackStatus;

/**
 * Conversion: PutMessageFeedback RECEIVED for the message whose code came back right, so that End User Messaging's
 * conversion metrics show real OTP conversion (unreported messages turn FAILED after an hour). On threads of its own, so
 * that the validation's write and the report run side by side (ValidateOtp waits for it only briefly).
 */
@ApplicationScoped
class EndUserMessagingFeedback {

    private static final Logger LOG = Logger.getLogger(EndUserMessagingFeedback.class);

    private final PinpointSmsVoiceV2Client client;
    /** Two threads: a Lambda instance serves one request at a time, and a report takes ~50-100 ms. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "message-feedback");
        t.setDaemon(true);
        return t;
    });

    EndUserMessagingFeedback(PinpointSmsVoiceV2Client client) {
        this.client = client;
    }

    CompletableFuture<Void> received(String messageId) {
        return CompletableFuture.runAsync(() -> {
            try {
                client.putMessageFeedback(r -> r.messageId(messageId).messageFeedbackStatus(MessageFeedbackStatus.RECEIVED));
            } catch (RuntimeException e) { // a lost report costs the conversion metric one count, not a login
                LOG.warnf("PutMessageFeedback RECEIVED for message %s failed: %s", messageId, e.getClass().getSimpleName());
            }
        }, threads);
    }

    @PreDestroy
    void stop() {
        threads.shutdown();
    }
}
