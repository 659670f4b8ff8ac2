package dev.otpgate.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

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
    private final GenerateOtp generateOtp;
    private final ValidateOtp validateOtp;

    SummitEndpoint(EnvelopeReader reader, GenerateOtp generateOtp, ValidateOtp validateOtp) {
        this.reader = reader;
        this.generateOtp = generateOtp;
        this.validateOtp = validateOtp;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public SummitResponse call(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        SummitRequest request = reader.read(contentType, body);
        return switch (request.serviceName()) {
            case GENERATE -> generate(request);
            case VALIDATE -> validate(request);
            default -> throw new OtpFailure(Kind.BAD_REQUEST,
                    "Unknown ServiceName; this endpoint serves " + GENERATE + " and " + VALIDATE);
        };
    }

    private SummitResponse generate(SummitRequest request) {
        GenerateOtpInput in = reader.userInformation(request, GenerateOtpInput.class);
        GenerateOtp.Sent sent = generateOtp.generate(
                new GenerateOtp.Request(in.domainId(), in.userId(), in.loginUid(), in.userName()));
        return SummitResponse.ok("", "OTP_Communication", new SummitResponse.OtpCommunication(
                "OTP sent to " + sent.maskedDestination(), "password", sent.transactionId()));
    }

    private SummitResponse validate(SummitRequest request) {
        ValidateOtpInput in = reader.userInformation(request, ValidateOtpInput.class);
        validateOtp.validate(new ValidateOtp.Request(in.transactionId(), in.loginUid(), in.otpText()));
        return SummitResponse.ok("", "OTP_Validation", new SummitResponse.OtpValidation(""));
    }
}
