package dev.otpgate.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import dev.otpgate.auth.Authenticated;
import dev.otpgate.auth.Authenticator;
import dev.otpgate.ops.CallRecord;
import dev.otpgate.otp.GenerateOtp;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.OtpFailure.Kind;
import dev.otpgate.otp.ValidateOtp;

/**
 * The vendor's single URL. The body is taken as bytes so that every kind of bad input (wrong
 * content type, malformed JSON, wrong types, oversize) is answered in the envelope by EnvelopeReader,
 * not by a framework default page.
 */
@Path(SummitEndpoint.PATH)
public class SummitEndpoint {

    public static final String PATH = "/REST/Summit_RESTWCF.svc/RESTService/CommonWS_JsonObjCall";
    public static final String GENERATE = "ADM_GenerateOTP";
    public static final String VALIDATE = "ADM_ValidateOTP";

    private final EnvelopeReader reader;
    private final Authenticator authenticator;
    private final GenerateOtp generateOtp;
    private final ValidateOtp validateOtp;
    @Inject
    CallRecord call; // for the per-call log line and metrics (dev.otpgate.ops.CallLog)

    SummitEndpoint(EnvelopeReader reader, Authenticator authenticator, GenerateOtp generateOtp,
            ValidateOtp validateOtp) {
        this.reader = reader;
        this.authenticator = authenticator;
        this.generateOtp = generateOtp;
        this.validateOtp = validateOtp;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public SummitResponse call(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        SummitRequest request = reader.read(contentType, body);
        call.serviceName(request.serviceName());
        call.authType(authType(request.credentials()));
        // Before any use case: a request that does not prove its caller gets a 401 and nothing else.
        Authenticated auth = authenticator.authenticate(request.credentials());
        call.orgId(auth.caller().orgId());
        call.callerName(auth.caller().userName()); // only once proven: a refused name may be a misplaced password
        return switch (request.serviceName()) {
            case GENERATE -> generate(request, auth);
            case VALIDATE -> validate(request, auth);
            default -> throw new OtpFailure(Kind.BAD_REQUEST,
                    "Unknown ServiceName; this endpoint serves " + GENERATE + " and " + VALIDATE);
        };
    }

    private SummitResponse generate(SummitRequest request, Authenticated auth) {
        GenerateOtpInput in = reader.userInformation(request, GenerateOtpInput.class);
        GenerateOtp.Sent sent = generateOtp.generate(auth.caller(),
                new GenerateOtp.Request(actingOrg(request, auth), in.domainId(), in.userId(), in.loginUid(), in.userName()),
                call);
        return SummitResponse.ok(auth.tokenId(), "OTP_Communication", new SummitResponse.OtpCommunication(
                "OTP sent to " + sent.maskedDestination(), auth.caller().method().wireName(), sent.transactionId()));
    }

    private SummitResponse validate(SummitRequest request, Authenticated auth) {
        ValidateOtpInput in = reader.userInformation(request, ValidateOtpInput.class);
        validateOtp.validate(auth.caller(), new ValidateOtp.Request(actingOrg(request, auth), in.transactionId(),
                in.loginUid(), in.otpText(), reader.isNumber(request, "OTP_Text")), call);
        return SummitResponse.ok(auth.tokenId(), "OTP_Validation", new SummitResponse.OtpValidation(""));
    }

    /**
     * How the request tries to authenticate, for the call log: TOKEN when it carries a TokenID (the one checked
     * first), else its AuthType if FORM or APIKEY, else null. Never any credential.
     */
    static String authType(dev.otpgate.auth.Credentials c) {
        if (c == null) {
            return null;
        }
        if (c.tokenId() != null && !c.tokenId().isBlank()) {
            return "TOKEN";
        }
        String type = c.authType() == null ? "" : c.authType().trim().toUpperCase(java.util.Locale.ROOT);
        return type.equals("FORM") || type.equals("APIKEY") ? type : null;
    }

    /**
     * The organisation the request names (_ProxyDetails.OrgID), or the caller's when it names none. The
     * use cases act only when it is the caller's own: any other is answered as an unknown user or code.
     */
    private static String actingOrg(SummitRequest request, Authenticated auth) {
        String named = request.credentials().orgId();
        return named == null || named.isBlank() ? auth.caller().orgId() : named.trim();
    }
}
