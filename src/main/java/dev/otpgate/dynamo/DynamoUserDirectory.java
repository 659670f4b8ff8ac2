package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.s;
import static dev.otpgate.dynamo.Attr.string;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.UserContact;
import dev.otpgate.otp.UserDirectory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The user directory as a DynamoDB table keyed by (DomainId, UserID): one GetItem per lookup. */
@ApplicationScoped
public class DynamoUserDirectory implements UserDirectory {

    private final DynamoDbClient dynamo;
    private final String table;

    DynamoUserDirectory(DynamoDbClient dynamo, OtpConfig config) {
        this.dynamo = dynamo;
        this.table = config.tables().users();
    }

    @Override
    public Optional<UserContact> find(String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(Attr.DOMAIN_ID, s(domainId), Attr.USER_ID, s(userId)))
                .projectionExpression("#d, #u, #n, #m, #e")
                .expressionAttributeNames(Map.of("#d", Attr.DOMAIN_ID, "#u", Attr.USER_ID, "#n", Attr.USER_NAME,
                        "#m", Attr.MOBILE, "#e", Attr.EMAIL)))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UserContact(string(item, Attr.DOMAIN_ID), string(item, Attr.USER_ID),
                string(item, Attr.USER_NAME), string(item, Attr.MOBILE), string(item, Attr.EMAIL)));
    }
}
