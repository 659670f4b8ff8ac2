package dev.otpgate.admin;

import static dev.otpgate.dynamo.Attr.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds "SET a = :a, ... REMOVE b, ..." with placeholders for every name and value. */
final class Update {
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();
    final List<String> sets = new ArrayList<>();
    final List<String> removes = new ArrayList<>();

    void set(String attribute, AttributeValue value) {
        set(attribute, "%2$s", value);
    }

    /** {@code form} is the right-hand side, %1$s standing for the attribute, %2$s for the value. */
    void set(String attribute, String form, AttributeValue value) {
        String name = "#a" + names.size();
        String placeholder = ":v" + values.size();
        names.put(name, attribute);
        values.put(placeholder, value);
        sets.add(name + " = " + String.format(form, name, placeholder));
    }

    void remove(String attribute) {
        String name = "#a" + names.size();
        names.put(name, attribute);
        removes.add(name);
    }

    void setOrRemove(String attribute, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            remove(attribute);
        } else {
            set(attribute, s(value));
        }
    }

    String expression() {
        String set = sets.isEmpty() ? "" : "SET " + String.join(", ", sets);
        String remove = removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes);
        return (set + remove).trim();
    }
}
