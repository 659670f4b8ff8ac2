package dev.otpgate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.otpgate.api.SummitEndpoint;
import dev.otpgate.support.AwsCallCounter;
import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Every kind of bad input gets an error envelope naming the problem, the right status, and nothing
 * else: no stack trace, no AWS call at all (so no send and no record).
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class BadInputTest extends FunctionTest {

    static final String INFO = "objCommonParameters.objUserInformation.";

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("malformed JSON", "application/json", "{\"ServiceName\": \"ADM_GenerateOTP\",", 400,
                        "Malformed JSON at line 1, column 35"),
                Arguments.of("not an object", "application/json", "[1,2]", 400, "The request body must be a JSON object"),
                // Audit defect 5: what follows the envelope was silently ignored.
                Arguments.of("stray brackets after the envelope", "application/json", compactSeed() + "}}}", 400,
                        "Malformed JSON at line 1, column " + (compactSeed().length() + 1)),
                Arguments.of("a second document after the envelope", "application/json",
                        compactSeed() + "\n" + Seed.edit(r -> r.put("ServiceName", "ADM_ValidateOTP")), 400,
                        "Malformed JSON: content after the envelope at line 2, column 1"),
                Arguments.of("empty body", "application/json", "", 400, "The request body is empty"),
                Arguments.of("wrong content type", "text/plain", Seed.request(), 415, "Content-Type must be application/json"),
                Arguments.of("form content type", "application/x-www-form-urlencoded", "a=b", 415,
                        "Content-Type must be application/json"),
                Arguments.of("oversized", "application/json", Seed.requestWith(u -> u.put("Padding", "x".repeat(20_000))), 413,
                        "The request body is larger than 16384 bytes"),
                Arguments.of("unknown service", "application/json", Seed.edit(r -> r.put("ServiceName", "ADM_DeleteUser")), 400,
                        "Unknown ServiceName; this endpoint serves ADM_GenerateOTP and ADM_ValidateOTP"),
                Arguments.of("missing service", "application/json", Seed.edit(r -> r.remove("ServiceName")), 400,
                        "ServiceName is mandatory"),
                Arguments.of("missing common parameters", "application/json", Seed.edit(r -> r.remove("objCommonParameters")), 400,
                        "objCommonParameters is mandatory"),
                Arguments.of("missing user information", "application/json",
                        Seed.edit(r -> r.with("objCommonParameters").remove("objUserInformation")), 400,
                        INFO.substring(0, INFO.length() - 1) + " is mandatory"),
                Arguments.of("missing DomainId", "application/json", Seed.requestWith(u -> u.remove("DomainId")), 400,
                        INFO + "DomainId is mandatory"),
                Arguments.of("missing UserID", "application/json", Seed.requestWith(u -> u.remove("UserID")), 400,
                        INFO + "UserID is mandatory"),
                Arguments.of("empty LoginUID", "application/json", Seed.requestWith(u -> u.put("LoginUID", "")), 400,
                        INFO + "LoginUID is mandatory"),
                Arguments.of("blank UserName", "application/json", Seed.requestWith(u -> u.put("UserName", "  ")), 400,
                        INFO + "UserName is mandatory"),
                Arguments.of("null UserID", "application/json", Seed.requestWith(u -> u.putNull("UserID")), 400,
                        INFO + "UserID is mandatory"),
                Arguments.of("two missing", "application/json", Seed.requestWith(u -> u.remove(List.of("UserID", "UserName"))), 400,
                        INFO + "UserID is mandatory; " + INFO + "UserName is mandatory"),
                Arguments.of("object for an id", "application/json",
                        Seed.requestWith(u -> u.putObject("UserID").put("id", 967)), 400,
                        INFO + "UserID has the wrong type: a string or a number is expected"),
                Arguments.of("array for an id", "application/json",
                        Seed.requestWith(u -> u.putArray("DomainId").add(1)), 400,
                        INFO + "DomainId has the wrong type: a string or a number is expected"),
                Arguments.of("object for the ServiceName", "application/json",
                        Seed.edit(r -> r.putObject("ServiceName")), 400,
                        "ServiceName has the wrong type: a string or a number is expected"),
                Arguments.of("id with spaces", "application/json", Seed.requestWith(u -> u.put("UserID", "9 67")), 400,
                        INFO + "UserID may hold only letters, digits and . _ @ : -"));
    }

    /** The seed request on one line, so that positions in it are easy to name. */
    static String compactSeed() {
        return Seed.edit(root -> {
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAnErrorEnvelopeAndNothingHappens(String name, String contentType, String body, int status,
            String errors) {
        Response r = given().contentType(contentType).body(body).post(SummitEndpoint.PATH);
        r.then().statusCode(status).contentType("application/json");
        JsonNode envelope = Seed.tree(r.asString());
        assertEquals(errors, envelope.get("Errors").asText());
        assertEquals(List.of("Errors", "Message", "Output", "TokenID", "OrgID", "OutputObject", "OutputID", "Input"),
                names(envelope));
        assertFalse(r.asString().contains("Exception") || r.asString().contains("\tat "), "no stack trace");
        assertEquals(List.of(), AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS),
                "apart from authenticating the caller, no AWS call: nothing stored, nothing sent");
        assertEquals(0, aws.getAllServeEvents().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void theSameBadInputToValidateIsRefusedToo(String name, String contentType, String body, int status, String errors) {
        // Only the envelope-level cases apply to both services; the user-information ones are generate's.
        assumeFalse(errors.startsWith(INFO) || errors.startsWith("Unknown ServiceName"));
        String validate = body.replace("ADM_GenerateOTP", "ADM_ValidateOTP");
        Response r = given().contentType(contentType).body(validate).post(SummitEndpoint.PATH);
        r.then().statusCode(status);
        assertTrue(Seed.tree(r.asString()).get("Errors").asText().length() > 0);
        assertEquals(List.of(), AwsCallCounter.callsApartFrom(AwsLocalResource.CALLERS)); // apart from authenticating the caller
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
