package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.otpgate.dynamo.Attr;
import dev.otpgate.dynamo.UserLimitKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Everything the deployment stores about one directory user, found and erased: their directory item (name,
 * number, address), their transactions (code hashes; the current one is what a code sent to them validates
 * against), their limit items (send cooldown and window with the pointer to the current code, failed
 * guesses of each hour, consecutive failures, the last send's delivery event) and their own callers (linked
 * {@code --self} to them: their app's login, with its per-source login records; a caller that also acts for
 * a domain's users is a service: it is only unlinked). The destination counters are keyed by a keyed hash
 * of the number or address, which the tool cannot compute (the key is the function's secret): they hold no
 * destination and expire with their window.
 */
final class UserData {

    /** What a removal erased. */
    record Erased(boolean user, int transactions, int limitItems, List<String> callersRemoved,
            List<String> callersUnlinked) {
    }

    private final DynamoDbClient dynamo;
    private final String usersTable;
    private final String transactionsTable;
    private final String limitsTable;
    private final String callersTable;
    private final CallerWrites callers;

    UserData(DynamoDbClient dynamo, String usersTable, String transactionsTable, String limitsTable,
            String callersTable, CallerWrites callers) {
        this.dynamo = dynamo;
        this.usersTable = usersTable;
        this.transactionsTable = transactionsTable;
        this.limitsTable = limitsTable;
        this.callersTable = callersTable;
        this.callers = callers;
    }

    Optional<Map<String, AttributeValue>> user(String domainKey, String userId) {
        return item(usersTable, Map.of(Attr.DOMAIN_ID, s(domainKey), Attr.USER_ID, s(userId)));
    }

    /** A limits item by its key, read consistently. */
    Optional<Map<String, AttributeValue>> limit(String key) {
        return item(limitsTable, Map.of(Attr.LIMIT_KEY, s(key)));
    }

    /**
     * Erases the user's data; the directory item last, so that a removal cut short can be run again. The
     * transactions and the limits are found by a consistent Scan each (their keys are not the user's): an
     * operator's rare step that reads those tables once, both short-lived (TTL), as {@code caller unlock} does.
     */
    Erased erase(String orgId, boolean legacyOrg, String domainId, String domainKey, String userId) {
        List<Map<String, AttributeValue>> transactions = new ArrayList<>();
        limit(UserLimitKeys.sends(domainKey, userId)).map(i -> i.get(Attr.CURRENT_TRANSACTION))
                .ifPresent(current -> transactions.add(Map.of(Attr.TRANSACTION_ID, current)));
        dynamo.scanPaginator(r -> r.tableName(transactionsTable).consistentRead(true)
                // the legacy organisation's transactions written before there were organisations have no OrgID
                .filterExpression((legacyOrg ? "(#o = :o OR attribute_not_exists(#o))" : "#o = :o") + " AND #d = :d AND #u = :u")
                .projectionExpression("#t")
                .expressionAttributeNames(Map.of("#o", Attr.ORG_ID, "#d", Attr.DOMAIN_ID, "#u", Attr.USER_ID,
                        "#t", Attr.TRANSACTION_ID))
                .expressionAttributeValues(Map.of(":o", s(orgId), ":d", s(domainId), ":u", s(userId))))
                .items().forEach(i -> {
                    if (!transactions.contains(i)) {
                        transactions.add(i);
                    }
                });
        List<Map<String, AttributeValue>> limits = limitItems(domainKey, userId);
        // The transactions first: once the current one is gone, a code sent before no longer validates.
        delete(transactionsTable, transactions);
        delete(limitsTable, limits);
        List<String> removed = new ArrayList<>();
        List<String> unlinked = new ArrayList<>();
        ownCallers(orgId, domainId, userId, removed, unlinked);
        boolean user = user(domainKey, userId).isPresent();
        dynamo.deleteItem(r -> r.tableName(usersTable)
                .key(Map.of(Attr.DOMAIN_ID, s(domainKey), Attr.USER_ID, s(userId))));
        return new Erased(user, transactions.size(), limits.size(), removed, unlinked);
    }

    /**
     * The user's limit items: three keys, and the series (an hour's, a window's) whose keys are a prefix and a
     * number. A prefix alone over-matches: the legacy organisation's user {@code X/1} has the prefix
     * {@code fails#X#1#}, which organisation X's user {@code 1/967} ({@code fails#X#1#967#<hour>}) also has;
     * so only a key that is the prefix and digits is theirs.
     */
    private List<Map<String, AttributeValue>> limitItems(String domainKey, String userId) {
        List<String> prefixes = UserLimitKeys.seriesPrefixes(domainKey, userId);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", s(UserLimitKeys.sends(domainKey, userId)),
                ":c", s(UserLimitKeys.consecutiveFailures(domainKey, userId)),
                ":l", s(UserLimitKeys.lastSend(domainKey, userId))));
        StringBuilder filter = new StringBuilder("#k IN (:s, :c, :l)");
        for (int i = 0; i < prefixes.size(); i++) {
            values.put(":p" + i, s(prefixes.get(i)));
            filter.append(" OR begins_with(#k, :p").append(i).append(')');
        }
        List<Map<String, AttributeValue>> limits = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(limitsTable).consistentRead(true).filterExpression(filter.toString())
                .projectionExpression("#k").expressionAttributeNames(Map.of("#k", Attr.LIMIT_KEY))
                .expressionAttributeValues(values)).items().forEach(item -> {
                    String key = Attr.string(item, Attr.LIMIT_KEY);
                    if (!values.containsValue(s(key)) && prefixes.stream().noneMatch(p -> key.startsWith(p)
                            && key.substring(p.length()).matches("\\d+"))) {
                        return; // another user's: see above
                    }
                    limits.add(item);
                });
        return limits;
    }

    /**
     * The callers of the user's organisation linked {@code --self} to them (one Query of the organisation's
     * callers): removed with their per-source records, or, when they also act for a domain's users, unlinked.
     * Either way their TokenIDs end (a removed caller's at once, an unlinked one's within 60 s).
     */
    private void ownCallers(String orgId, String domainId, String userId, List<String> removed, List<String> unlinked) {
        SourceRecords sources = new SourceRecords(dynamo, limitsTable);
        dynamo.queryPaginator(r -> r.tableName(callersTable).consistentRead(true)
                .keyConditionExpression("#o = :o").filterExpression("#d = :d AND #u = :u")
                .projectionExpression("#n, #g")
                .expressionAttributeNames(Map.of("#o", Attr.ORG_ID, "#d", Attr.DOMAIN_ID, "#u", Attr.USER_ID,
                        "#n", Attr.USER_NAME, "#g", Attr.GENERATE_FOR))
                .expressionAttributeValues(Map.of(":o", s(orgId), ":d", s(domainId), ":u", s(userId))))
                .items().forEach(c -> {
                    String name = Attr.string(c, Attr.USER_NAME);
                    AttributeValue domains = c.get(Attr.GENERATE_FOR);
                    if (domains != null && domains.hasSs() && !domains.ss().isEmpty()) {
                        callers.putCaller(orgId, name, null, "", "", null);
                        unlinked.add(name);
                    } else {
                        callers.removeCaller(orgId, name);
                        sources.forget(orgId, name);
                        removed.add(name);
                    }
                });
    }

    private void delete(String table, List<Map<String, AttributeValue>> keys) {
        Batches batches = new Batches(dynamo, table);
        for (int i = 0; i < keys.size(); i += Batches.WRITE_SIZE) {
            List<WriteRequest> deletes = new ArrayList<>();
            keys.subList(i, Math.min(keys.size(), i + Batches.WRITE_SIZE)).forEach(k -> deletes.add(
                    WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build()));
            batches.write(deletes);
        }
    }

    private Optional<Map<String, AttributeValue>> item(String table, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }
}
