package dev.otpgate.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it against its 400 KB limit: each attribute's name and value in UTF-8
 * bytes, a number about one byte per two digits, a list or map 3 bytes and 1 per element besides its contents
 * (developer guide, "Item sizes"). An upper estimate is enough: it decides only whether a row is refused.
 */
final class ItemSize {

    private ItemSize() {
    }

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
            size += utf8(a.getKey()) + value(a.getValue());
        }
        return size;
    }

    private static long value(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().length() / 2 + 2;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(ItemSize::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(n -> n.length() / 2 + 2).sum();
        }
        if (v.hasM()) {
            return 3 + v.m().size() + of(v.m());
        }
        if (v.hasL()) {
            return 3 + v.l().size() + v.l().stream().mapToLong(ItemSize::value).sum();
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        return 1; // BOOL, NULL
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
