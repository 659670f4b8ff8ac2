package dev.otpgate.dynamo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * An update of one limits item with per-window top-level attributes (H&lt;hour&gt;, D&lt;day&gt;, ...): what to
 * add, set, remove and delete, and the conditions that carry the limits. Builds the guarded action and,
 * for record mode, the same update without its conditions.
 */
final class Expr {

    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final List<String> add = new ArrayList<>();
    private final List<String> set = new ArrayList<>();
    private final List<String> remove = new ArrayList<>();
    private final List<String> delete = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();

    String name(String attribute) {
        for (Map.Entry<String, String> e : names.entrySet()) {
            if (e.getValue().equals(attribute)) {
                return e.getKey();
            }
        }
        String n = "#n" + names.size();
        names.put(n, attribute);
        return n;
    }

    String value(AttributeValue v) {
        String n = ":v" + values.size();
        values.put(n, v);
        return n;
    }

    Expr add(String attribute, long delta) {
        add.add(name(attribute) + " " + value(Attr.n(delta)));
        return this;
    }

    Expr addToSet(String attribute, String element) {
        add.add(name(attribute) + " " + value(AttributeValue.fromSs(List.of(element))));
        return this;
    }

    Expr deleteFromSet(String attribute, String element) {
        delete.add(name(attribute) + " " + value(AttributeValue.fromSs(List.of(element))));
        return this;
    }

    Expr set(String attribute, AttributeValue v) {
        set.add(name(attribute) + " = " + value(v));
        return this;
    }

    /** Sets the attribute only where the item has none (an item this update creates gets it). */
    Expr setIfAbsent(String attribute, AttributeValue v) {
        String n = name(attribute);
        set.add(n + " = if_not_exists(" + n + ", " + value(v) + ")");
        return this;
    }

    /** The conditions alone, as a check that writes nothing (ALL_OLD on failure). */
    TransactWriteItem check(String table, String key) {
        String condition = String.join(" AND ", conditions);
        Map<String, String> usedNames = new HashMap<>();
        Map<String, AttributeValue> usedValues = new HashMap<>();
        names.forEach((k, v) -> {
            if (used(condition, k)) {
                usedNames.put(k, v);
            }
        });
        values.forEach((k, v) -> {
            if (used(condition, k)) {
                usedValues.put(k, v);
            }
        });
        return TransactWriteItem.builder().conditionCheck(c -> {
            c.tableName(table).key(Map.of(Attr.LIMIT_KEY, Attr.s(key))).conditionExpression(condition)
                    .expressionAttributeNames(usedNames)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            if (!usedValues.isEmpty()) {
                c.expressionAttributeValues(usedValues);
            }
        }).build();
    }

    Expr remove(String attribute) {
        remove.add(name(attribute));
        return this;
    }

    /** Passes while the attribute is absent or below {@code max}. */
    Expr below(String attribute, long max) {
        String a = name(attribute);
        conditions.add("(attribute_not_exists(" + a + ") OR " + a + " < " + value(Attr.n(max)) + ")");
        return this;
    }

    /** A condition written out, with {@code $name} and {@code $value} placeholders filled by this expression. */
    Expr condition(String condition) {
        conditions.add(condition);
        return this;
    }

    boolean conditional() {
        return !conditions.isEmpty();
    }

    private String update() {
        StringBuilder u = new StringBuilder();
        if (!set.isEmpty()) {
            u.append("SET ").append(String.join(", ", set)).append(' ');
        }
        if (!add.isEmpty()) {
            u.append("ADD ").append(String.join(", ", add)).append(' ');
        }
        if (!remove.isEmpty()) {
            u.append("REMOVE ").append(String.join(", ", remove)).append(' ');
        }
        if (!delete.isEmpty()) {
            u.append("DELETE ").append(String.join(", ", delete)).append(' ');
        }
        return u.toString().trim();
    }

    /** The update, guarded by the conditions when {@code guarded} (else unconditional: record mode). */
    TransactWriteItem action(String table, String key, boolean guarded) {
        Map<String, String> usedNames = new HashMap<>();
        Map<String, AttributeValue> usedValues = new HashMap<>();
        String update = update();
        String condition = guarded && conditional() ? String.join(" AND ", conditions) : null;
        String all = update + " " + (condition == null ? "" : condition);
        names.forEach((k, v) -> {
            if (used(all, k)) {
                usedNames.put(k, v);
            }
        });
        values.forEach((k, v) -> {
            if (used(all, k)) {
                usedValues.put(k, v);
            }
        });
        return TransactWriteItem.builder().update(u -> {
            u.tableName(table).key(Map.of(Attr.LIMIT_KEY, Attr.s(key))).updateExpression(update)
                    .expressionAttributeNames(usedNames);
            if (!usedValues.isEmpty()) {
                u.expressionAttributeValues(usedValues);
            }
            if (condition != null) {
                u.conditionExpression(condition)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            }
        }).build();
    }

    private static boolean used(String expression, String placeholder) {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(placeholder) + "(?![0-9])")
                .matcher(expression).find();
    }
}
