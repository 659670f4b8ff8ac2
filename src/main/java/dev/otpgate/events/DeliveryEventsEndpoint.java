package dev.otpgate.events;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.otpgate.ops.CallLog;
import dev.otpgate.otp.DeliveryEvent;
import dev.otpgate.otp.RecordDelivery;

/**
 * The inbound adapter of End User Messaging's delivery events: the configuration set's event destination is an SNS
 * topic, and the topic's HTTPS subscription posts each event here, through the same API and function (no second
 * function, no other runtime: it works the same in the native build). A message is taken only when SNS signed it
 * (SnsMessages) and it comes from this deployment's topic; its event then becomes one domain call (RecordDelivery)
 * and one metrics line. Answers: 200 done or dropped (a malformed event is logged and dropped: SNS must not retry it),
 * 400 not an SNS message, 403 not signed by SNS for this topic, 503 when recording failed (SNS retries a few times
 * under its delivery policy, never forever).
 */
@Path(DeliveryEventsEndpoint.PATH)
public class DeliveryEventsEndpoint {

    public static final String PATH = "/delivery-events";

    private static final Logger LOG = Logger.getLogger(DeliveryEventsEndpoint.class);
    private static final Logger METRICS = Logger.getLogger(CallLog.CATEGORY); // printed as-is: EMF
    private static final Pattern EVENT_TYPE = Pattern.compile("(TEXT|VOICE)_[A-Z_]{2,40}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@#/-]{1,128}");
    /** SNS's largest message (256 KiB) in its JSON envelope; an event is about 1 KiB. */
    private static final int MAX_BODY = 300 * 1024;

    private final DeliveryEventsConfig config;
    private final SnsMessages sns;
    private final RecordDelivery record;
    private final ObjectMapper json;
    private final String function;

    DeliveryEventsEndpoint(DeliveryEventsConfig config, SnsMessages sns, RecordDelivery record, ObjectMapper json,
            @ConfigProperty(name = "quarkus.application.name") String application,
            @ConfigProperty(name = "AWS_LAMBDA_FUNCTION_NAME") Optional<String> lambdaFunction) {
        this.config = config;
        this.sns = sns;
        this.record = record;
        this.json = json;
        this.function = lambdaFunction.orElse(application);
    }

    @POST
    @Consumes(MediaType.WILDCARD) // SNS posts text/plain
    public Response receive(byte[] body) {
        JsonNode message;
        try {
            message = body == null || body.length > MAX_BODY ? null : json.readTree(body);
        } catch (IOException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            LOG.warn("Delivery events: a body that is no SNS message, dropped");
            return Response.status(400).build();
        }
        String topic = message.path("TopicArn").asText("");
        if (config.topicArn().isEmpty() || !config.topicArn().get().equals(topic) || !sns.authentic(message)) {
            LOG.warnf("Delivery events: a message not signed by SNS for this deployment's topic (TopicArn %s), refused",
                    ID.matcher(topic.replace("arn:", "")).matches() ? topic : "?");
            return Response.status(403).build();
        }
        return switch (message.path("Type").asText()) {
            case "SubscriptionConfirmation" -> confirmed(message);
            case "Notification" -> notification(message.path("Message").asText(""));
            default -> Response.ok().build(); // UnsubscribeConfirmation: nothing to do
        };
    }

    private Response confirmed(JsonNode message) {
        if (sns.confirm(message)) {
            LOG.infof("Delivery events: subscribed to %s", message.path("TopicArn").asText());
            return Response.ok().build();
        }
        LOG.warn("Delivery events: the subscription could not be confirmed; SNS will send the confirmation again");
        return Response.status(503).build();
    }

    private Response notification(String text) {
        DeliveryEvent event = event(text);
        if (event == null) {
            LOG.warn("Delivery events: a malformed End User Messaging event, dropped"); // its text may hold a number
            return Response.ok().build();
        }
        try {
            record.record(event).ifPresent(r -> METRICS.info(metricsLine(event, r.country())));
            return Response.ok().build();
        } catch (RuntimeException e) {
            LOG.warnf("Delivery event %s for transaction %s not recorded (%s); SNS will retry", event.eventType(),
                    event.transactionId(), e.getClass().getSimpleName());
            return Response.status(503).build();
        }
    }

    /** The event End User Messaging sent, or null when it lacks what a send's event always has. */
    private DeliveryEvent event(String text) {
        JsonNode e;
        try {
            e = json.readTree(text);
        } catch (IOException ex) {
            return null;
        }
        if (e == null || !e.isObject()) {
            return null;
        }
        String type = e.path("eventType").asText("");
        String messageId = e.path("messageId").asText("");
        String transactionId = e.path("context").path("TransactionID").asText("");
        String orgId = e.path("context").path("OrgID").asText("");
        JsonNode timestamp = e.path("eventTimestamp");
        if (!EVENT_TYPE.matcher(type).matches() || !ID.matcher(messageId).matches() || !ID.matcher(transactionId).matches()
                || !ID.matcher(orgId).matches() || !timestamp.canConvertToLong()) {
            return null;
        }
        return new DeliveryEvent(transactionId, orgId, messageId, type, e.path("isFinal").asBoolean(false),
                Instant.ofEpochMilli(timestamp.asLong()));
    }

    /** One EMF document: the event counted by country and type, and a final outcome's Delivered 1/0 by country. */
    private String metricsLine(DeliveryEvent event, String country) {
        ObjectNode line = json.createObjectNode();
        line.put(DeliveryMetrics.FUNCTION, function);
        line.put(DeliveryMetrics.COUNTRY, country);
        line.put(DeliveryMetrics.EVENT, event.eventType());
        line.put("TransactionID", event.transactionId());
        line.put(DeliveryMetrics.DELIVERY_EVENTS, 1);
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        directive(directives, DeliveryMetrics.DELIVERY_EVENTS, "Count", DeliveryMetrics.EVENT_DIMENSIONS);
        Boolean delivered = event.delivered();
        if (delivered != null) {
            line.put(DeliveryMetrics.DELIVERED, delivered ? 1 : 0);
            directive(directives, DeliveryMetrics.DELIVERED, "None", DeliveryMetrics.DELIVERED_DIMENSIONS);
        }
        return line.toString();
    }

    private static void directive(ArrayNode directives, String metric, String unit, java.util.List<java.util.List<String>> sets) {
        ObjectNode d = directives.addObject();
        d.put("Namespace", DeliveryMetrics.NAMESPACE);
        ArrayNode dimensions = d.putArray("Dimensions");
        sets.forEach(set -> set.forEach(dimensions.addArray()::add));
        d.putArray("Metrics").addObject().put("Name", metric).put("Unit", unit);
    }
}
