package dev.otpgate.source;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import io.quarkus.amazon.lambda.http.AwsHttpContextProducers;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The address the current request comes from: API Gateway's {@code requestContext.http.sourceIp} (the
 * TCP peer API Gateway saw) on Lambda, the connection's address in the local run; never a header a
 * client can set, unless the peer is a configured trusted proxy ({@link SourceConfig}). Read once per
 * request, on first use.
 */
@RequestScoped
public class ClientAddress {

    @Inject
    AwsHttpContextProducers lambda;
    @Inject
    CurrentVertxRequest vertx;
    @Inject
    SourceAddresses addresses;

    private String address;

    /** The client's address in canonical form, or {@value SourceAddresses#UNKNOWN}. */
    public String address() {
        if (address == null) {
            address = addresses.client(peer(), forwardedFor());
        }
        return address;
    }

    /**
     * The client's User-Agent for the call log: API Gateway's {@code requestContext.http.userAgent}, else the
     * header (the local run); at most {@value #USER_AGENT_MAX} characters, control characters replaced; null if none.
     */
    public String userAgent() {
        APIGatewayV2HTTPEvent.RequestContext api = lambda.getHttpRequestContext();
        String agent = api != null && api.getHttp() != null ? api.getHttp().getUserAgent() : null;
        if (agent == null) {
            HttpServerRequest http = request();
            agent = http == null ? null : http.getHeader("User-Agent");
        }
        return truncated(agent);
    }

    public static final int USER_AGENT_MAX = 120;

    static String truncated(String agent) {
        if (agent == null || agent.isBlank()) {
            return null;
        }
        String clean = agent.replaceAll("\\p{Cntrl}", "?");
        if (clean.length() <= USER_AGENT_MAX) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(USER_AGENT_MAX - 1)) ? USER_AGENT_MAX - 1 : USER_AGENT_MAX;
        return clean.substring(0, end);
    }

    /** What the attempt limits count this client under (an IPv6 address's /64). */
    public String limitKey() {
        return SourceAddresses.limitKey(address());
    }

    private String peer() {
        APIGatewayV2HTTPEvent.RequestContext api = lambda.getHttpRequestContext();
        if (api != null && api.getHttp() != null && api.getHttp().getSourceIp() != null) {
            return api.getHttp().getSourceIp();
        }
        // Not behind API Gateway (the local run): the TCP peer.
        HttpServerRequest http = request();
        return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }

    private List<String> forwardedFor() {
        HttpServerRequest http = request();
        if (http == null || !addresses.fromOurOrigin(http.getHeader(SourceAddresses.ORIGIN_HEADER))) {
            return List.of(); // another distribution (or none): its peer is the client
        }
        return http.headers().getAll("X-Forwarded-For");
    }

    private HttpServerRequest request() {
        return vertx.getCurrent() == null ? null : vertx.getCurrent().request();
    }
}
