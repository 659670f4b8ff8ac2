package dev.otpgate.otp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpFailure.Kind;

/**
 * Which way a user's code goes. A number that cannot take SMS gets a call where the organisation allows VOICE. The user's preferred channel if the organisation allows it, else the
 * organisation's; then, if the organisation falls back, its other allowed channels. A channel that
 * cannot deliver (no number or address, an invalid number, a country not allowed) is passed over;
 * when none can, the answer is why the first one cannot, as it was before there was a choice.
 */
@ApplicationScoped
public class Routes {

    /**
     * A channel, the destination on it (a phone number in E.164, or an address) and where it is, as the fraud guard
     * and the call log count it ({@link DestinationCountry}: the number's ISO region, or EMAIL).
     */
    public record Route(Channel channel, String destination, String country) {

        @Override
        public String toString() {
            return "Route[" + channel + " to " + Masking.destination(channel, destination) + "]";
        }
    }

    private final SmsCountryGuard smsGuard;

    Routes(SmsCountryGuard smsGuard) {
        this.smsGuard = smsGuard;
    }

    /** The deliverable routes, best first: the first is used, the others only if its provider refuses. */
    public List<Route> of(UserContact user, Policy policy) {
        Set<Channel> order = new LinkedHashSet<>();
        order.add(user.prefer() != null && policy.channels().contains(user.prefer()) ? user.prefer() : policy.channel());
        if (policy.fallback()) {
            order.addAll(policy.channels());
        }
        List<Route> routes = new ArrayList<>();
        OtpFailure first = null;
        for (Channel channel : order) {
            try {
                Route route = route(user, channel, policy);
                if (routes.stream().noneMatch(r -> r.channel() == route.channel())) { // an SMS that became a call
                    routes.add(route);
                }
            } catch (OtpFailure cannot) {
                first = first == null ? cannot : first;
            }
        }
        if (routes.isEmpty()) {
            throw first;
        }
        return routes;
    }

    private Route route(UserContact user, Channel channel, Policy policy) {
        String destination = user.destination(channel);
        if (destination == null) {
            throw new OtpFailure(Kind.UNPROCESSABLE, channel.phone()
                    ? "The user has no mobile number to send the OTP to"
                    : "The user has no e-mail address to send the OTP to");
        }
        if (channel == Channel.EMAIL) {
            return new Route(channel, destination, DestinationCountry.EMAIL);
        }
        if (channel == Channel.VOICE) {
            SmsCountryGuard.Allowed number = smsGuard.checkCall(destination, policy.smsCountries());
            return new Route(channel, number.e164(), DestinationCountry.bounded(number.region()));
        }
        try {
            SmsCountryGuard.Allowed number = smsGuard.check(destination, policy.smsCountries());
            return new Route(channel, number.e164(), DestinationCountry.bounded(number.region()));
        } catch (OtpFailure noSms) {
            // A number that cannot take SMS (a landline) gets a call instead of a 422, where the organisation allows calls.
            if (policy.channels().contains(Channel.VOICE)) {
                try {
                    return route(user, Channel.VOICE, policy);
                } catch (OtpFailure noCall) {
                    throw noSms; // the SMS's reason: it was the channel asked for
                }
            }
            throw noSms;
        }
    }
}
