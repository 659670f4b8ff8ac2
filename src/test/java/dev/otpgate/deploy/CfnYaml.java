package dev.otpgate.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template into plain maps and lists, turning the short tags into the long
 * form CloudFormation itself uses: {@code !Ref X} is {@code {Ref: X}}, {@code !GetAtt T.Arn} is
 * {@code {Fn::GetAtt: [T, Arn]}}, {@code !Sub s} is {@code {Fn::Sub: s}}, and so on.
 */
final class CfnYaml {

    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "Equals", "FindInMap", "GetAZs", "If",
            "ImportValue", "Join", "Not", "And", "Or", "Select", "Split", "Sub", "Transform", "Length", "ToJsonString");

    private CfnYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) {
        try (Reader in = Files.newBufferedReader(file)) {
            return (Map<String, Object>) new Yaml(new Tags()).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Tags extends SafeConstructor {
        Tags() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new Intrinsic("Fn::GetAtt"));
            FUNCTIONS.forEach(f -> yamlConstructors.put(new Tag("!" + f), new Intrinsic("Fn::" + f)));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = key.equals("Fn::GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
