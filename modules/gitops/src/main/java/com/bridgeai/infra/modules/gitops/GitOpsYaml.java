package com.bridgeai.infra.modules.gitops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Turns maps/lists/scalars into the YAML text of a GitOps file. Valid YAML by construction
 * (snakeyaml writes it), with two rules for text that Terraform later interpolates:
 * <ul>
 *   <li>a string holding a cdktf token is always double-quoted, so whatever the token resolves
 *       to at apply time (an ARN, a bucket name) stays one YAML string;</li>
 *   <li>outside tokens there must be no {@code ${} or {@code %{}: Terraform would read them as
 *       its own template syntax inside the file content.</li>
 * </ul>
 */
public final class GitOpsYaml {
    /**
     * How cdktf (0.19 to 0.21) encodes a string token inside a Java string ({@code ${TfToken[TOKEN.12]}}).
     * Matched textually so rendering needs no jsii round trip; a test pins the format.
     */
    public static final Pattern TOKEN = Pattern.compile("\\$\\{TfToken\\[[A-Za-z0-9_.-]+]}");

    private GitOpsYaml() {}

    /** One YAML document per element, separated by {@code ---}. */
    public static String dumpAll(List<?> documents) {
        Yaml yaml = yaml();
        String text = documents.stream().map(yaml::dump).collect(Collectors.joining("---\n"));
        String outsideTokens = TOKEN.matcher(text).replaceAll("");
        if (outsideTokens.contains("${") || outsideTokens.contains("%{")) {
            throw new IllegalArgumentException("GitOps YAML must not contain Terraform template syntax (${ or %{)"
                    + " outside cdktf tokens; Terraform would interpolate it:\n" + text);
        }
        return text;
    }

    public static String dump(Object document) {
        return dumpAll(List.of(document));
    }

    public static boolean containsToken(String text) {
        return TOKEN.matcher(text).find();
    }

    /**
     * An ordered map from alternating keys and values; null values are left out, so optional
     * settings can be written inline. Keys must be strings.
     */
    public static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("map() needs key/value pairs");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                out.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return out;
    }

    /** A list without null elements (optional entries written inline). */
    public static List<Object> list(Object... items) {
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        // never fold a long scalar: a folded line could split a token or an ARN
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        // a value used twice (the same tolerations list) is written out twice, not as &id001/*id001
        options.setDereferenceAliases(true);
        return new Yaml(new TokenQuotingRepresenter(options), options);
    }

    private static final class TokenQuotingRepresenter extends Representer {
        TokenQuotingRepresenter(DumperOptions options) {
            super(options);
            Represent plain = this.representers.get(String.class);
            this.representers.put(String.class, data -> {
                String text = data.toString();
                if (containsToken(text)) {
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                }
                if (text.contains("\n")) {
                    // multi-line text (known_hosts) stays readable as a literal block
                    return representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL);
                }
                // snakeyaml quotes what would read back as another type ("true", "1.30")
                return plain.representData(text);
            });
        }
    }
}
