package dev.otpgate;

import static dev.otpgate.support.Flows.generate;
import static dev.otpgate.support.Flows.post;
import static dev.otpgate.support.Flows.validate;
import static dev.otpgate.support.Flows.wrong;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.otpgate.support.AwsLocalResource;
import dev.otpgate.support.Flows.Issued;
import dev.otpgate.support.FunctionTest;
import dev.otpgate.support.Operator;
import dev.otpgate.support.Pumping;
import dev.otpgate.support.Recorded;
import dev.otpgate.support.Seed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The user-wide lock at the consecutive-failure cap follows the user to every region (docs/regions.md "What protects a
 * user follows the user"): the guess that sets it copies it to the user's directory item (a global table), and a
 * region whose own counters know nothing of it refuses the user on that copy alone; the unlock removes it. The
 * two-region run of the same is TwoRegionsIT.
 */
@QuarkusTest
@QuarkusTestResource(value = AwsLocalResource.class, restrictToAnnotatedClass = false)
class LockFollowsTheUserTest extends FunctionTest {

    static final String CAPPED = "Too many consecutive wrong OTPs for this user; ask the administrator to unlock the account";

    @Test
    void theGuessThatLocksTheUserCopiesTheLockToTheDirectoryAndTheUnlockRemovesIt() {
        Issued first = generate(aws);
        Pumping.counter(data.dynamo(), "consecutive#1#967", "Count", 99);
        validate(first.transactionId(), "967", wrong(first.code())).then().statusCode(400); // the hundredth
        Map<String, AttributeValue> user = userItem();
        assertEquals("failures_locked", user.get("HeldBy").s());
        assertTrue(Long.parseLong(user.get("HeldUntil").n()) > Instant.now().getEpochSecond() + 86400, user.toString());
        assertEquals("abcd", user.get("UserName").s(), "the directory item itself is untouched");

        Operator.Run run = Operator.run(data.dynamo(), "", "user", "unlock", "--org", "1", "--domain", "1", "--user", "967");
        assertEquals(0, run.status(), run.err());
        assertFalse(userItem().containsKey("HeldBy"), "the copy goes with the unlock");
    }

    @Test
    void aLockCopiedFromAnotherRegionRefusesTheUserHereAndSendsNothing() {
        // As replication leaves it: the copy on the directory item, and nothing in this region's otp-limits.
        data.dynamo().updateItem(r -> r.tableName(AwsLocalResource.USERS)
                .key(Map.of("DomainId", AttributeValue.fromS("1"), "UserID", AttributeValue.fromS("967")))
                .updateExpression("SET HeldBy = :by, HeldUntil = :until")
                .expressionAttributeValues(Map.of(":by", AttributeValue.fromS("failures_locked"),
                        ":until", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() + 3600)))));
        post(Seed.request()).then().statusCode(429).body("Errors", equalTo(CAPPED));
        assertEquals(0, Recorded.calls(aws, "Publish").size(), "no SMS to a user locked in another region");
        // Without the user's name, the lock tells nothing: the answer of a user that does not exist.
        assertEquals(post(Seed.requestWith(u -> u.put("UserID", 968))).asString(),
                post(Seed.requestWith(u -> u.put("UserName", "abcx"))).then().statusCode(404).extract().asString());

        data.dynamo().updateItem(r -> r.tableName(AwsLocalResource.USERS)
                .key(Map.of("DomainId", AttributeValue.fromS("1"), "UserID", AttributeValue.fromS("967")))
                .updateExpression("SET HeldUntil = :past")
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 1)))));
        post(Seed.request()).then().statusCode(200); // a copy that has run out holds nobody
    }

    private Map<String, AttributeValue> userItem() {
        return data.dynamo().getItem(r -> r.tableName(AwsLocalResource.USERS)
                .key(Map.of("DomainId", AttributeValue.fromS("1"), "UserID", AttributeValue.fromS("967"))).consistentRead(true))
                .item();
    }
}
