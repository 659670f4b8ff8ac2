package dev.otpgate.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml, read, with a small evaluator for the intrinsics it uses: parameters take their defaults
 * (or the given overrides), conditions are evaluated, a {@code Ref} to a resource or a {@code GetAtt}
 * stays symbolic ({@code ref:UsersTable}, {@code arn:UsersTable}) so tests can tell which resource is meant.
 */
final class Template {

    /** What {@code !Ref AWS::NoValue} resolves to: the property is absent. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Map<String, String> PSEUDO = Map.of("AWS::Region", "eu-west-1", "AWS::AccountId", "123456789012",
            "AWS::Partition", "aws", "AWS::URLSuffix", "amazonaws.com", "AWS::StackName", "otp-gate");

    final Map<String, Object> root;
    private final Map<String, String> parameters = new HashMap<>();

    private Template(Map<String, Object> root, Map<String, String> overrides) {
        this.root = root;
        map(root.get("Parameters")).forEach((name, p) -> {
            Object def = map(p).get("Default");
            parameters.put(name, def == null ? null : String.valueOf(def));
        });
        parameters.putAll(overrides);
    }

    static Template load() {
        return load(Map.of());
    }

    static Template load(Map<String, String> parameterOverrides) {
        return new Template(CfnYaml.read(Path.of("template.yaml")), parameterOverrides);
    }

    Map<String, Object> parameterDeclarations() {
        return map(root.get("Parameters"));
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    Map<String, Object> resource(String logicalId) {
        return map(resources().get(logicalId));
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    /** Logical ids of the resources of a type, in template order. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The one function of the stack. */
    String function() {
        List<String> functions = ofType("AWS::Serverless::Function");
        if (functions.size() != 1) {
            throw new AssertionError("one function expected, found " + functions);
        }
        return functions.get(0);
    }

    /** The function's environment, every value evaluated. */
    Map<String, String> environment() {
        Map<String, Object> vars = map(map(properties(function()).get("Environment")).get("Variables"));
        Map<String, String> env = new LinkedHashMap<>();
        vars.forEach((k, v) -> env.put(k, String.valueOf(resolve(v))));
        return env;
    }

    /** Evaluates a value: intrinsics resolved, NO_VALUE entries dropped from lists and maps. */
    Object resolve(Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                Object r = resolve(o);
                if (r != NO_VALUE) {
                    out.add(r);
                }
            }
            return out;
        }
        if (!(value instanceof Map<?, ?> m)) {
            return value;
        }
        if (m.size() == 1) {
            String key = String.valueOf(m.keySet().iterator().next());
            Object arg = m.values().iterator().next();
            switch (key) {
                case "Ref":
                    return ref(String.valueOf(arg));
                case "Fn::GetAtt":
                    List<?> parts = (List<?>) arg;
                    return attribute(parts.get(0) + "." + parts.get(1));
                case "Fn::If":
                    List<?> f = (List<?>) arg;
                    return resolve(condition(String.valueOf(f.get(0))) ? f.get(1) : f.get(2));
                case "Fn::Equals":
                case "Fn::Not":
                case "Fn::And":
                case "Fn::Or":
                case "Condition":
                    return truth(m);
                case "Fn::Sub":
                    return sub(arg);
                case "Fn::Split": {
                    List<?> a = (List<?>) arg;
                    return new ArrayList<Object>(List.of(String.valueOf(resolve(a.get(1))).split(java.util.regex.Pattern.quote(
                            String.valueOf(a.get(0))), -1)));
                }
                case "Fn::Select": {
                    List<?> a = (List<?>) arg;
                    List<?> from = (List<?>) resolve(a.get(1));
                    int index = Integer.parseInt(String.valueOf(resolve(a.get(0))));
                    if (index >= from.size()) {
                        throw new AssertionError("!Select " + index + " of " + from + ": CloudFormation fails the stack");
                    }
                    return from.get(index);
                }
                case "Fn::Join": {
                    List<?> join = (List<?>) arg;
                    return String.join(String.valueOf(resolve(join.get(0))),
                            ((List<?>) resolve(join.get(1))).stream().map(String::valueOf).toList());
                }
                case "Fn::FindInMap":
                    List<?> path = (List<?>) arg;
                    Object row = map(map(root.get("Mappings")).get(String.valueOf(resolve(path.get(0)))))
                            .get(String.valueOf(resolve(path.get(1))));
                    if (row == null) {
                        throw new AssertionError("!FindInMap of nothing: " + path);
                    }
                    return map(row).get(String.valueOf(resolve(path.get(2))));
                default:
                    if (key.startsWith("Fn::")) {
                        throw new AssertionError("Template cannot evaluate " + key + " yet: teach it");
                    }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            Object r = resolve(v);
            if (r != NO_VALUE) {
                out.put(String.valueOf(k), r);
            }
        });
        return out;
    }

    boolean condition(String name) {
        Object c = map(root.get("Conditions")).get(name);
        if (c == null) {
            throw new AssertionError("no condition " + name);
        }
        return truth(c);
    }

    private boolean truth(Object expression) {
        Map<?, ?> m = (Map<?, ?>) expression;
        String key = String.valueOf(m.keySet().iterator().next());
        Object arg = m.values().iterator().next();
        return switch (key) {
            case "Fn::Equals" -> String.valueOf(resolve(((List<?>) arg).get(0))).equals(String.valueOf(resolve(((List<?>) arg).get(1))));
            case "Fn::Not" -> !truth(((List<?>) arg).get(0));
            case "Fn::And" -> ((List<?>) arg).stream().allMatch(this::truth);
            case "Fn::Or" -> ((List<?>) arg).stream().anyMatch(this::truth);
            case "Condition" -> condition(String.valueOf(arg));
            default -> throw new AssertionError("not a condition: " + expression);
        };
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (PSEUDO.containsKey(name)) {
            return PSEUDO.get(name);
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (resources().containsKey(name)) {
            return "ref:" + name;
        }
        throw new AssertionError("!Ref to nothing: " + name);
    }

    private String attribute(String dotted) {
        String resource = dotted.substring(0, dotted.indexOf('.'));
        if (!resources().containsKey(resource)) {
            throw new AssertionError("!GetAtt of nothing: " + dotted);
        }
        return dotted.endsWith(".Arn") ? "arn:" + resource : "attr:" + dotted;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private String sub(Object arg) {
        String text;
        Map<String, Object> variables = new HashMap<>();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            map(l.get(1)).forEach((k, v) -> variables.put(k, resolve(v)));
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value = variables.containsKey(name) ? variables.get(name)
                    : name.contains(".") ? attribute(name) : ref(name);
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? (List<Object>) l : List.of(o);
    }
}
