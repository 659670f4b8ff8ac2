package dev.otpgate.dynamo;

import static dev.otpgate.dynamo.Attr.s;
import static dev.otpgate.dynamo.Attr.string;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.otpgate.otp.Channel;
import dev.otpgate.otp.OrgKeys;
import dev.otpgate.otp.OtpConfig;
import dev.otpgate.otp.UserContact;
import dev.otpgate.otp.UserDirectory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The user directory as a DynamoDB table keyed by (DomainId, UserID): one GetItem per lookup. An
 * organisation's users are keyed "OrgID#DomainId" (the legacy organisation's as they always were: OrgKeys).
 */
@ApplicationScoped
public class DynamoUserDirectory implements UserDirectory {


    private final DynamoDbClient dynamo;
    private final String table;
    private final OrgKeys keys;
    @Inject
    Clock clock;

    DynamoUserDirectory(DynamoDbClient dynamo, OtpConfig config) {
        this.dynamo = dynamo;
        this.table = config.tables().users();
        this.keys = new OrgKeys(config.tenancy().legacyOrg());
    }

    @Override
    public Optional<UserContact> find(String orgId, String domainId, String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of(Attr.DOMAIN_ID, s(keys.scoped(orgId, domainId)), Attr.USER_ID, s(userId)))
                .projectionExpression("#n, #m, #e, #p, #l, #h, #by")
                .expressionAttributeNames(Map.of("#n", Attr.USER_NAME, "#m", Attr.MOBILE, "#e", Attr.EMAIL,
                        "#p", Attr.PREFER, "#l", Attr.LOCALE, "#h", Attr.HELD_UNTIL, "#by", Attr.HELD_BY)))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String prefer = string(item, Attr.PREFER);
        // The user-wide lock, set in whichever region the guesses were made (UserLockMirror): held here too.
        return Optional.of(new UserContact(domainId, userId, string(item, Attr.USER_NAME), string(item, Attr.MOBILE),
                string(item, Attr.EMAIL), Channel.parse(prefer), string(item, Attr.LOCALE),
                UserLockMirror.locked(item, clock.instant().getEpochSecond())));
    }
}
