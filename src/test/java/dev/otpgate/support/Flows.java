package dev.otpgate.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.otpgate.api.SummitEndpoint;
import io.restassured.response.Response;

/** The two calls as a mobile client makes them, through the Lambda mock event server. */
public final class Flows {

    private Flows() {
    }

    /** A code handed out: its TransactionID and the code the SMS carried. */
    public record Issued(String transactionId, String code) {
    }

    public static Response post(String body) {
        return given().contentType("application/json").body(body).post(SummitEndpoint.PATH);
    }

    /** Generates for the seed's user and reads the code from the SMS the recorder caught. */
    public static Issued generate(WireMockServer aws) {
        return generate(aws, Seed.request());
    }

    public static Issued generate(WireMockServer aws, String request) {
        Response r = post(request);
        r.then().statusCode(200);
        List<Map<String, String>> sms = Recorded.calls(aws, "Publish");
        String code = Recorded.code(sms.get(sms.size() - 1).get("Message"), 6);
        return new Issued(r.path("OutputObject.OTP_Communication[0].TransactionID"), code);
    }

    public static Response validate(String transactionId, String loginUid, String code) {
        return post(validateRequest(transactionId, loginUid, code));
    }

    public static String validateRequest(String transactionId, String loginUid, String code) {
        return Seed.edit(root -> {
            root.put("ServiceName", "ADM_ValidateOTP");
            root.with("objCommonParameters").replace("objUserInformation", Seed.JSON.createObjectNode()
                    .put("OTP_Text", code).put("TransactionID", transactionId).put("LoginUID", loginUid));
        });
    }

    /** A code of the right length that is not {@code code}. */
    public static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }
}
