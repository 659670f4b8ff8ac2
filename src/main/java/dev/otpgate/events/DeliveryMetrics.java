package dev.otpgate.events;

import java.util.List;

/**
 * The delivery events' CloudWatch metrics (embedded metric format, namespace OtpGate like the call line's): one
 * DeliveryEvents count per event by country and event type, and, for final outcomes, Delivered (1 reached the
 * phone, 0 did not) by country, whose average is the country's delivery rate (the DeliveryRateAlarm's).
 */
public final class DeliveryMetrics {

    public static final String NAMESPACE = "OtpGate";
    public static final String FUNCTION = "Function";
    public static final String COUNTRY = "Country";
    public static final String EVENT = "Event";
    public static final String DELIVERY_EVENTS = "DeliveryEvents";
    public static final String DELIVERED = "Delivered";

    /** Each metric with its dimension sets, as DeliveryEventLine writes them (and TemplateTest reads them). */
    public static final List<List<String>> EVENT_DIMENSIONS = List.of(List.of(FUNCTION, COUNTRY, EVENT));
    public static final List<List<String>> DELIVERED_DIMENSIONS = List.of(List.of(FUNCTION, COUNTRY), List.of(FUNCTION));

    private DeliveryMetrics() {
    }
}
