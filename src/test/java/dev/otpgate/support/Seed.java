package dev.otpgate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The vendor's sample request and response (src/test/resources/seed, copied from the seed page). */
public final class Seed {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Seed() {
    }

    public static String request() {
        return read("/seed/seed-request.json");
    }

    public static JsonNode response() {
        return tree(read("/seed/seed-response.json"));
    }

    /** The seed request with an edit applied to its objUserInformation (an ObjectNode). */
    public static String requestWith(Consumer<ObjectNode> userInformationEdit) {
        ObjectNode root = (ObjectNode) tree(request());
        userInformationEdit.accept((ObjectNode) root.path("objCommonParameters").path("objUserInformation"));
        return root.toString();
    }

    /** The seed request with an edit applied to the whole tree. */
    public static String edit(Consumer<ObjectNode> rootEdit) {
        ObjectNode root = (ObjectNode) tree(request());
        rootEdit.accept(root);
        return root.toString();
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@code got} differs from {@code want} in keys, nesting or JSON types (values may differ). */
    public static List<String> shapeDifferences(JsonNode got, JsonNode want) {
        List<String> out = new ArrayList<>();
        compare(got, want, "$", out);
        return out;
    }

    private static void compare(JsonNode got, JsonNode want, String path, List<String> out) {
        if (want.isObject()) {
            if (!got.isObject()) {
                out.add(path + ": " + got.getNodeType() + " instead of object");
                return;
            }
            List<String> wantKeys = names(want);
            List<String> gotKeys = names(got);
            if (!wantKeys.equals(gotKeys)) {
                out.add(path + ": keys " + gotKeys + " instead of " + wantKeys);
            }
            for (Map.Entry<String, JsonNode> e : want.properties()) {
                if (got.has(e.getKey())) {
                    compare(got.get(e.getKey()), e.getValue(), path + "." + e.getKey(), out);
                }
            }
        } else if (want.isArray()) {
            if (!got.isArray() || got.isEmpty()) {
                out.add(path + ": " + got.getNodeType() + " instead of a non-empty array");
                return;
            }
            for (int i = 0; i < got.size(); i++) {
                compare(got.get(i), want.get(0), path + "[" + i + "]", out);
            }
        } else if (got.getNodeType() != want.getNodeType()) {
            out.add(path + ": " + got.getNodeType() + " instead of " + want.getNodeType());
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static String read(String resource) {
        try (InputStream in = Seed.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
