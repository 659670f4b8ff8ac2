package dev.otpgate.snapstart;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.stream.Stream;

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

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.auth.AuthMethod;
import dev.otpgate.auth.Authenticator;
import dev.otpgate.auth.Caller;
import dev.otpgate.auth.Tokens;
import dev.otpgate.otp.FraudGuard;
import dev.otpgate.otp.OrgStore;
import dev.otpgate.otp.OtpCodes;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.Policies;
import dev.otpgate.ops.CallLog;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InjectableBean;
import io.quarkus.arc.InjectableContext;
import io.quarkus.runtime.StartupEvent;

/**
 * SnapStart (JVM flavour): whatever runs before the snapshot is free at restore. Before the snapshot
 * ({@code beforeCheckpoint}, called by Lambda's java runtime through CRaC), the request path is primed through the
 * Lambda HTTP handler, as real events: ADM_GenerateOTP for a user reached by SMS and one reached by e-mail, and
 * ADM_ValidateOTP for an unknown TransactionID, by a TokenID caller. Every AWS call they make goes to
 * {@link CannedAws}, a stand-in on the loopback address ({@link PrimingRedirect} rewrites the requests after the
 * SDK has marshalled them), so the SDK's marshalling, signing, HTTP client and unmarshalling, the JSON, the TokenID
 * check, the fraud guard, libphonenumber and the message texts all run, while nothing is read from, written to or
 * sent by AWS. The priming's call-log lines are not printed (they are not calls, and their metrics would count
 * codes never sent).
 * <p>
 * Then the state the priming made is dropped: the beans that hold a random generator (OtpCodes: codes;
 * Authenticator: TokenID nonces) and those that cache what the stand-in answered (Authenticator's caller states,
 * Policies, FraudGuard's country traffic), so each restored environment creates its own on first use. After the
 * restore, {@link FreshRandomness} reseeds ThreadLocalRandom (the SDK's retry jitter, the fraud guard's shard
 * choice), whose state would otherwise be the snapshot's in every environment restored from it.
 * Registered only when Lambda initialises for SnapStart (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start) or when
 * {@code otp.snapstart.prime=true}.
 */
@Singleton
public class SnapStartPriming implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    /** Beans created with a SecureRandom: never carried across a snapshot. */
    public static final List<Class<?>> RANDOM_HOLDERS = List.of(OtpCodes.class, Authenticator.class);
    /** Beans that cache reads (here: the stand-in's answers): dropped with the priming. */
    public static final List<Class<?>> CACHE_HOLDERS = List.of(Policies.class, FraudGuard.class);
    /** The priming caller's organisation: no organisation of the service is named so (OrgIDs are digits). */
    static final String ORG = "snapstart-priming";
    static final String DOMAIN = "snapstart-priming";
    private static final String UNKNOWN_TRANSACTION = "00000000-0000-4000-8000-000000000000";
    /** org.crac holds resources weakly. */
    private static volatile SnapStartPriming registered;

    private final String tokenKey;
    private final int codeLength;
    private final int rounds;
    private final java.time.Duration budget;
    /**
     * The request ids of the priming's calls start with this, then the round: Lambda's are UUIDs it assigns, so
     * no client request can carry it (and nothing secret is in an id, which every log line of the call prints).
     */
    static final String REQUEST_ID_PREFIX = "snapstart-priming-";
    private final boolean forced;
    private final String mobile;
    private final OtpConfig.Tables tables;

    /** What one priming did: the answers' statuses by ServiceName, and the AWS calls the stand-in answered. */
    public record Result(Map<String, Map<Integer, Integer>> statuses, List<String> awsCalls, long millis, int rounds) {
    }

    SnapStartPriming(@ConfigProperty(name = "otp.auth.token-key") String tokenKey,
            @ConfigProperty(name = "otp.code-length") int codeLength,
            OtpConfig config) {
        this.tokenKey = tokenKey;
        this.codeLength = codeLength;
        this.rounds = config.snapstart().primeRounds();
        this.budget = config.snapstart().primeBudget();
        this.forced = config.snapstart().prime();
        this.tables = config.tables();
        this.mobile = exampleMobile(config.sms().allowedCountries());
    }

    /**
     * libphonenumber's example mobile number for the first allowed country that has one (US: +1 201-555-0123), so
     * that the priming's SMS path is the one the deployment's users take, not a refused country's.
     */
    static String exampleMobile(List<String> allowedCountries) {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        for (String region : allowedCountries) {
            Phonenumber.PhoneNumber example = phones.getExampleNumberForType(region.trim().toUpperCase(Locale.ROOT),
                    PhoneNumberUtil.PhoneNumberType.MOBILE);
            if (example != null) {
                return phones.format(example, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        }
        return "+12015550123";
    }

    void register(@Observes StartupEvent event) {
        if (forced || "snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            registered = this;
            Core.getGlobalContext().register(this);
        }
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Result r;
        try {
            r = prime(rounds);
        } catch (RuntimeException e) { // a failed warm-up costs the first calls time, never the snapshot
            LOG.warnf("SnapStart priming failed (%s): the snapshot is taken unprimed", e.toString());
            r = new Result(Map.of(), List.of(), 0, 0);
        }
        forgetState();
        long settle = System.nanoTime();
        settleJit();
        System.gc(); // the priming's garbage stays out of the snapshot, and its collection out of the first call
        LOG.infof("SnapStart priming: %d rounds in %d ms, answers %s, %d AWS calls to the stand-in; random"
                + " generators and cached reads dropped; JIT queue and heap settled in %d ms", r.rounds(), r.millis(),
                r.statuses(), r.awsCalls().size(), (System.nanoTime() - settle) / 1_000_000);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        forgetState(); // in case anything made one between the priming and the snapshot
        if (!FreshRandomness.reseed()) {
            LOG.warn("SnapStart restore: ThreadLocalRandom could not be reseeded on this JVM; retry jitter may be"
                    + " shared with other environments restored from the same snapshot");
        }
        recreateState();
        openDynamoDbConnection();
    }

    /**
     * One read of an organisation that does not exist (OrgStore: one GetItem, half a read unit, nothing written): the
     * restored environment opens its connection to DynamoDB (on Lambda, the TLS handshake) in the restore hook, not
     * in the first request. SNS and SES have no read the role may make, so their first send still connects.
     */
    static void openDynamoDbConnection() {
        try {
            Arc.container().instance(OrgStore.class).get().find(ORG);
        } catch (RuntimeException e) {
            LOG.warnf("SnapStart restore: DynamoDB not reached (%s); the first request will connect",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * Creates the dropped beans again now, after the restore, with generators of this environment's own: Lambda
     * counts this hook in the restore, so the first request does not pay for it.
     */
    static void recreateState() {
        for (Class<?> type : Stream.concat(RANDOM_HOLDERS.stream(), CACHE_HOLDERS.stream()).toList()) {
            ClientProxy.unwrap(Arc.container().instance(type).get());
        }
    }

    /**
     * Runs {@code rounds} rounds of warm-up calls (a generate by SMS, a validate of an unknown TransactionID, and
     * every tenth round a generate by e-mail) through the Lambda handler against the stand-in.
     */
    public Result prime(int rounds) {
        return prime(rounds, budget);
    }

    /** At most {@code rounds} rounds, and none started once {@code budget} is spent (the first always runs). */
    public Result prime(int rounds, java.time.Duration budget) {
        long start = System.nanoTime();
        long end = start + budget.toNanos();
        int done = 0;
        // A throw-away Tokens: its generator serves only this TokenID, which no client ever sees.
        Caller primer = new Caller(ORG, "snapstart-priming", AuthMethod.TOKEN, null, null, Set.of(DOMAIN));
        String token = new Tokens(tokenKey).issue(primer, Instant.now(), Instant.now().plusSeconds(600));
        String proxy = "\"_ProxyDetails\":{\"TokenID\":\"" + token + "\",\"ReturnType\":\"JSON\"}";
        String validate = "{\"ServiceName\":\"" + SummitEndpoint.VALIDATE + "\",\"objCommonParameters\":{" + proxy
                + ",\"objUserInformation\":{\"OTP_Text\":\"" + "0".repeat(codeLength) + "\",\"TransactionID\":\""
                + UNKNOWN_TRANSACTION + "\",\"LoginUID\":\"0\"}}}";
        Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
        java.util.logging.Logger calls = java.util.logging.Logger.getLogger(CallLog.CATEGORY);
        Level callsLevel = calls.getLevel();
        LambdaHttpHandler handler = new LambdaHttpHandler();
        // A secret per priming: the stand-in answers only calls that carry it, and the redirect takes only the
        // calls of the priming's own requests (issue 16, finding 7).
        byte[] secret = new byte[16];
        new java.security.SecureRandom().nextBytes(secret); // a local generator: no holder reaches the snapshot
        String standInToken = java.util.HexFormat.of().formatHex(secret);
        try (CannedAws aws = new CannedAws(tables.callers(), tables.users(), ORG, mobile, standInToken)) {
            PrimingRedirect.redirectTo(aws.endpoint(), standInToken);
            calls.setLevel(Level.OFF);
            try {
                for (int i = 0; i < rounds && (i == 0 || System.nanoTime() - end < 0); i++, done++) {
                    call(handler, generate(proxy, CannedAws.SMS_USER), i, SummitEndpoint.GENERATE, statuses);
                    call(handler, validate, i, SummitEndpoint.VALIDATE, statuses);
                    if (i % 10 == 0) {
                        call(handler, generate(proxy, CannedAws.EMAIL_USER), i, SummitEndpoint.GENERATE + " (e-mail)",
                                statuses);
                    }
                }
            } finally {
                PrimingRedirect.stop();
                calls.setLevel(callsLevel);
            }
            return new Result(statuses, aws.calls(), (System.nanoTime() - start) / 1_000_000, done);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("SnapStart priming: no loopback server", e);
        }
    }

    private static String generate(String proxy, String userId) {
        return "{\"ServiceName\":\"" + SummitEndpoint.GENERATE + "\",\"objCommonParameters\":{" + proxy
                + ",\"objUserInformation\":{\"DomainId\":\"" + DOMAIN + "\",\"UserID\":\"" + userId
                + "\",\"LoginUID\":\"" + userId + "\",\"UserName\":\"" + CannedAws.USER_NAME + "\"}}}";
    }

    private static void call(LambdaHttpHandler handler, String body, int i, String name,
            Map<String, Map<Integer, Integer>> statuses) {
        APIGatewayV2HTTPResponse answer = handler.handleRequest(event(body, i), new PrimingContext(REQUEST_ID_PREFIX + i));
        statuses.computeIfAbsent(name, n -> new TreeMap<>()).merge(answer.getStatusCode(), 1, Integer::sum);
    }

    /**
     * Waits (at most 2 s) until the JIT has compiled nothing for 100 ms: the compilations the priming queued are
     * then in the snapshot, instead of competing with the first calls after the restore for the one core.
     */
    static void settleJit() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    /** Destroys the application-scoped beans that hold random generators or cached reads; re-created on first use. */
    public static void forgetState() {
        InjectableContext app = Arc.container().getActiveContext(ApplicationScoped.class);
        for (Class<?> type : Stream.concat(RANDOM_HOLDERS.stream(), CACHE_HOLDERS.stream()).toList()) {
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
        APIGatewayV2HTTPEvent.RequestContext rc = new APIGatewayV2HTTPEvent.RequestContext();
        rc.setHttp(http);
        rc.setRequestId("snapstart-priming-" + i);
        rc.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRawPath(SummitEndpoint.PATH);
        event.setRouteKey("POST " + SummitEndpoint.PATH);
        event.setHeaders(Map.of("content-type", "application/json"));
        http.setSourceIp("192.0.2.1"); // TEST-NET-1: no real client, not allow-listed (the fraud guard's checks run)
        event.setRequestContext(rc);
        event.setBody(body);
        return event;
    }

    private record PrimingContext(String requestId) implements Context {
        public String getAwsRequestId() {
            return requestId;
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
