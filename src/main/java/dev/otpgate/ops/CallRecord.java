package dev.otpgate.ops;

import jakarta.enterprise.context.RequestScoped;

import dev.otpgate.otp.CallContext;
import dev.otpgate.otp.Channel;
import dev.otpgate.otp.OtpFailure;

/**
 * What one call was, as far as operations care: filled by the endpoint (which service was asked for)
 * and the error mapper (how it failed), read by {@link CallLog} when the answer goes out. Holds no
 * request data beyond the ServiceName, the caller's organisation and name (once authenticated), the AuthType,
 * the channel chosen and the destination's country: nothing in it can leak a code, a secret or a destination.
 */
@RequestScoped
public class CallRecord implements CallContext {

    private final long startNanos = System.nanoTime();
    private String serviceName;
    private String orgId;
    private String callerName;
    private String authType;
    private String country;
    private Channel channel;
    private OtpFailure.Kind failure;
    private String outcome;
    private String lockout;
    private String guessHold;
    private boolean fraudChecked;
    private String fraudCountry;
    private String fraudAddress;
    private String fraudCaller;
    private java.util.List<String> fraudRules = java.util.List.of();
    private boolean fraudDenied;

    @jakarta.inject.Inject
    dev.otpgate.source.ClientAddress client;

    /** The client's address as the limits count it (source/ClientAddress: an IPv6 address's /64). */
    @Override
    public String sourceAddress() {
        return client.limitKey();
    }

    /** The whole address: an allow-list may name a range narrower or wider than the /64 it is counted under. */
    @Override
    public String clientAddress() {
        return client.address();
    }

    @Override
    public void fraudChecked(String country, String address, String caller) {
        this.fraudChecked = true;
        this.fraudCountry = country;
        this.fraudAddress = address;
        this.fraudCaller = caller;
    }

    @Override
    public void fraudFired(java.util.List<String> rules, boolean denied) {
        this.fraudRules = java.util.List.copyOf(rules);
        this.fraudDenied = denied;
    }

    boolean fraudCheckedHere() {
        return fraudChecked;
    }

    String fraudCountry() {
        return fraudCountry;
    }

    String fraudAddress() {
        return fraudAddress;
    }

    String fraudCaller() {
        return fraudCaller;
    }

    java.util.List<String> fraudRules() {
        return fraudRules;
    }

    boolean fraudDenied() {
        return fraudDenied;
    }

    public void serviceName(String name) {
        this.serviceName = name;
    }

    /** The authenticated caller's name (set only once the credentials proved it). */
    public void callerName(String name) {
        this.callerName = name;
    }

    String callerName() {
        return callerName;
    }

    /** How the request tried to authenticate: FORM, APIKEY, TOKEN, or null. */
    public void authType(String type) {
        this.authType = type;
    }

    String authType() {
        return authType;
    }

    @Override
    public void destinationCountry(String country) {
        this.country = country;
    }

    /** Where the code went (otp/DestinationCountry), or null when the call found none. */
    String country() {
        return country;
    }

    /** The organisation the authenticated caller acts in. */
    public void orgId(String orgId) {
        this.orgId = orgId;
    }

    @Override
    public void routedBy(Channel channel) {
        this.channel = channel;
    }

    public void failed(OtpFailure f) {
        this.failure = f.kind();
        this.outcome = f.outcome();
    }

    @Override
    public void guessHold(String kind) {
        this.guessHold = kind;
    }

    String guessHold() {
        return guessHold;
    }

    /** A wrong-password lockout this call started: "source_back_off" or "caller_ceiling". */
    public void lockout(String kind) {
        this.lockout = kind;
    }

    String lockout() {
        return lockout;
    }

    String serviceName() {
        return serviceName;
    }

    OtpFailure.Kind failure() {
        return failure;
    }

    /** The failure's case in a word ("wrong_code", "send_limit", "not_found"...), or null on success. */
    String failureOutcome() {
        return outcome;
    }

    String orgId() {
        return orgId;
    }

    /** The channel a generate chose, or null before it chose one. */
    Channel channel() {
        return channel;
    }

    /** When the request began (System.nanoTime): the latency of the call log, and the request deadline's start. */
    @Override
    public long startNanos() {
        return startNanos;
    }
}
