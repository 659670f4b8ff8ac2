package dev.otpgate.api;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.OtpFailure;
import dev.otpgate.otp.OtpFailure.Kind;

/**
 * Turns the raw body into typed, validated records, and every way it can be wrong into an answer
 * that names the field: a client developer should never need our logs to fix a request.
 */
@ApplicationScoped
public class EnvelopeReader {

    private final ObjectMapper mapper;
    private final Validator validator;
    private final int maxBodyBytes;

    EnvelopeReader(ObjectMapper mapper, Validator validator, OtpConfig config) {
        this.mapper = mapper;
        this.validator = validator;
        this.maxBodyBytes = config.api().maxBodyBytes();
    }

    public SummitRequest read(String contentType, byte[] body) {
        if (contentType == null || !isJson(contentType)) {
            throw new OtpFailure(Kind.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        if (body.length > maxBodyBytes) {
            throw new OtpFailure(Kind.PAYLOAD_TOO_LARGE, "The request body is larger than " + maxBodyBytes + " bytes");
        }
        if (body.length == 0) {
            throw new OtpFailure(Kind.BAD_REQUEST, "The request body is empty");
        }
        SummitRequest request;
        try (JsonParser parser = mapper.createParser(body)) {
            JsonNode tree = mapper.readTree(parser);
            if (tree == null || !tree.isObject()) {
                throw new OtpFailure(Kind.BAD_REQUEST, "The request body must be a JSON object");
            }
            // One envelope and nothing after it: a second document or stray brackets are not ignored.
            if (parser.nextToken() != null) {
                var at = parser.currentTokenLocation();
                throw new OtpFailure(Kind.BAD_REQUEST, "Malformed JSON: content after the envelope at line "
                        + at.getLineNr() + ", column " + at.getColumnNr());
            }
            request = mapper.treeToValue(tree, SummitRequest.class);
        } catch (JsonProcessingException e) {
            throw failure(e, "");
        } catch (IOException e) {
            throw new OtpFailure(Kind.BAD_REQUEST, "The request body could not be read");
        }
        if (blank(request.serviceName())) {
            throw new OtpFailure(Kind.BAD_REQUEST, "ServiceName is mandatory");
        }
        if (request.commonParameters() == null) {
            throw new OtpFailure(Kind.BAD_REQUEST, "objCommonParameters is mandatory");
        }
        return request;
    }

    /**
     * Whether objUserInformation's field came as a JSON number. Clients send OTP_Text as a string or as a
     * number, and a number has lost the code's leading zeros ({@code 012345} arrives as {@code 12345}):
     * ValidateOtp puts them back, up to the code's length. A number written with a leading zero is not
     * JSON and was refused by {@link #read}.
     */
    public boolean isNumber(SummitRequest request, String field) {
        JsonNode value = request.commonParameters().userInformation().get(field);
        return value != null && value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0;
    }

    /** Reads objUserInformation as the given record and checks its constraints. */
    public <T> T userInformation(SummitRequest request, Class<T> type) {
        JsonNode node = request.commonParameters().userInformation();
        String where = "objCommonParameters.objUserInformation";
        if (node == null || node.isNull()) {
            throw new OtpFailure(Kind.BAD_REQUEST, where + " is mandatory");
        }
        if (!node.isObject()) {
            throw new OtpFailure(Kind.BAD_REQUEST, where + " must be a JSON object");
        }
        T value;
        try {
            value = mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw failure(e, where + ".");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new OtpFailure(Kind.BAD_REQUEST, violations.stream()
                    .map(v -> where + "." + JsonNames.of(type, v.getPropertyPath().toString()) + " " + describe(v))
                    .sorted()
                    .collect(Collectors.joining("; ")));
        }
        return value;
    }

    private static String describe(ConstraintViolation<?> v) {
        Object invalid = v.getInvalidValue();
        if (invalid == null || invalid.toString().isBlank()) {
            return "is mandatory";
        }
        return v.getMessage();
    }

    private static OtpFailure failure(JsonProcessingException e, String prefix) {
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return new OtpFailure(Kind.BAD_REQUEST, prefix + field + " has the wrong type: a string or a number is expected");
        }
        if (e instanceof JsonMappingException) {
            return new OtpFailure(Kind.BAD_REQUEST, "The request body does not have the envelope's shape");
        }
        var loc = e.getLocation();
        return new OtpFailure(Kind.BAD_REQUEST, "Malformed JSON"
                + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()));
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
