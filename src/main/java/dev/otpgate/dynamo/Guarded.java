package dev.otpgate.dynamo;

import java.util.Map;
import java.util.function.Function;

import dev.otpgate.otp.OtpFailure;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * One action of a DynamoDB transaction, with the answer to give when its condition fails. The
 * function gets the item as it was (ReturnValuesOnConditionCheckFailure ALL_OLD; empty if none).
 */
record Guarded(TransactWriteItem action, Function<Map<String, AttributeValue>, OtpFailure> refusal) {
}
