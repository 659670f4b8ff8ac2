package dev.otpgate.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Authenticator;
import dev.otpgate.auth.Caller;
import dev.otpgate.auth.Tokens;
import dev.otpgate.otp.OtpCodes;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.ValidateOtp;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InjectableContext;
import io.quarkus.runtime.StartupEvent;

/**
 * SnapStart (JVM flavour): whatever runs before the snapshot is free at restore. Before the snapshot
 * ({@code beforeCheckpoint}, called by Lambda's java runtime through CRaC), the request path is primed: a few
 * ADM_ValidateOTP calls go through the Lambda HTTP handler (event to Vert.x, JSON, TokenID, the DynamoDB client
 * and its signing; the priming caller does not exist, so they end at its state read with a 401), then through the
 * use case for an unknown TransactionID (one read: 404); nothing is written and nothing sent. Then the
 * beans that hold random generators (OtpCodes: codes; Authenticator: TokenID nonces) are destroyed, so that each
 * restored environment creates its own on first use: no random state from before the snapshot serves a request.
 * Registered only when Lambda initialises for SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start) or when
 * {@code otp.snapstart.prime=true} (bench/PackageBench's emulation).
 */
@Singleton
public class SnapStartPriming implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    /** Beans created with a SecureRandom: never carried across a snapshot. */
    public static final List<Class<?>> RANDOM_HOLDERS = List.of(OtpCodes.class, Authenticator.class);
    /** org.crac holds resources weakly. */
    private static volatile SnapStartPriming registered;

    private final String tokenKey;
    private final int codeLength;
    private final int rounds;

    SnapStartPriming(@ConfigProperty(name = "otp.auth.token-key") String tokenKey,
            @ConfigProperty(name = "otp.code-length") int codeLength,
            @ConfigProperty(name = "otp.snapstart.prime-rounds", defaultValue = "30") int rounds) {
        this.tokenKey = tokenKey;
        this.codeLength = codeLength;
        this.rounds = rounds;
    }

    void register(@Observes StartupEvent event,
            @ConfigProperty(name = "otp.snapstart.prime", defaultValue = "false") boolean forced) {
        if (forced || "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            registered = this;
            Core.getGlobalContext().register(this);
        }
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        long start = System.nanoTime();
        int answered = prime();
        forgetRandomState();
        LOG.infof("SnapStart priming: %d warm-up calls answered %d in %d ms; random generators dropped", rounds,
                answered, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        forgetRandomState(); // in case anything made one between the priming and the snapshot
    }

    /** Runs the warm-up calls; returns the status they got (404: the unknown TransactionID). */
    public int prime() {
        // A throw-away Tokens: its generator serves only this TokenID, which no client ever sees.
        String token = new Tokens(tokenKey).issue(
                new Caller("0", "snapstart-priming", AuthMethod.TOKEN, null, null, Set.of()), Instant.now(),
                Instant.now().plusSeconds(300));
        String body = "{\"ServiceName\":\"" + SummitEndpoint.VALIDATE + "\",\"objCommonParameters\":{\"_ProxyDetails\":"
                + "{\"TokenID\":\"" + token + "\",\"ReturnType\":\"JSON\"},\"objUserInformation\":{\"OTP_Text\":\""
                + "0".repeat(codeLength) + "\",\"TransactionID\":\"00000000-0000-4000-8000-000000000000\",\"LoginUID\":\"0\"}}}";
        LambdaHttpHandler handler = new LambdaHttpHandler();
        for (int i = 0; i < rounds; i++) {
            // The priming caller does not exist, so the TokenID check (one read of the caller) answers 401: the
            // event, Vert.x, JSON, AES-GCM and the DynamoDB client with its signing are warm after it.
            handler.handleRequest(event(body, i), new PrimingContext(i));
        }
        // The use case behind it, directly: the policy, the transaction read (unknown: 404), the code checks.
        Caller primer = new Caller("0", "snapstart-priming", AuthMethod.TOKEN, null, null, Set.of());
        ValidateOtp validate = Arc.container().instance(ValidateOtp.class).get();
        int status = 0;
        for (int i = 0; i < rounds; i++) {
            try {
                validate.validate(primer, new ValidateOtp.Request("0", "00000000-0000-4000-8000-000000000000", "0",
                        "0".repeat(codeLength), false));
            } catch (OtpFailure unknown) {
                status = unknown.status();
            }
        }
        // The keyed hash and the code generator, which an unknown TransactionID does not reach.
        OtpCodes codes = Arc.container().instance(OtpCodes.class).get();
        codes.hash("snapstart-priming", codes.newCode(codeLength));
        return status;
    }

    /** Destroys the application-scoped beans that hold random generators; they are re-created on first use. */
    public static void forgetRandomState() {
        InjectableContext app = Arc.container().getActiveContext(ApplicationScoped.class);
        for (Class<?> type : RANDOM_HOLDERS) {
            InjectableBean<?> bean = Arc.container().instance(type).getBean();
            if (bean != null) {
                app.destroy(bean);
            }
        }
    }

    private static APIGatewayV2HTTPEvent event(String body, int i) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setPath(SummitEndpoint.PATH);
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext rc = new APIGatewayV2HTTPEvent.RequestContext();
        rc.setHttp(http);
        rc.setRequestId("snapstart-priming-" + i);
        rc.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRawPath(SummitEndpoint.PATH);
        event.setRouteKey("POST " + SummitEndpoint.PATH);
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setRequestContext(rc);
        event.setBody(body);
        return event;
    }

    private record PrimingContext(int i) implements Context {
        public String getAwsRequestId() {
            return "snapstart-priming-" + i;
        }

        public String getLogGroupName() {
            return null;
        }

        public String getLogStreamName() {
            return null;
        }

        public String getFunctionName() {
            return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        }

        public String getFunctionVersion() {
            return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
        }

        public String getInvokedFunctionArn() {
            return null;
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 10_000;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public LambdaLogger getLogger() {
            return null;
        }
    }
}
