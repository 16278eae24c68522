package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ci stack's plain GitHub elements (OverridesTest.PLAIN_ALLOWED: no Java binding in the trimmed
 * github package) cannot be checked by {@code terraform validate} here (no github provider in the
 * mirror). What stands in: every attribute and block they set is one the provider's schema has, as
 * @cdktf/provider-github 15.2.2 (the npm package the Java binding is generated from, for
 * integrations/github 6.8.3) writes it in each element's {@code synthesizeAttributes} — and the
 * test fails on a key that package does not know.
 */
class RawGithubElementsTest {
    static final Path PACKAGE = Path.of("node_modules", "@cdktf", "provider-github", "lib");
    /** Terraform's own meta-arguments and cdktf's metadata, not provider attributes. */
    static final Set<String> META = Set.of("//", "lifecycle", "depends_on", "provider", "count", "for_each");

    @Test
    void everyKeyTheCiStackSetsIsInTheProvidersSchema() throws IOException {
        SynthStack s = SynthFixture.variant().stack("test-ci");
        int checked = 0;
        for (String kind : new String[] {"resource", "data"}) {
            for (var types = s.tree().path(kind).fields(); types.hasNext(); ) {
                var type = types.next();
                if (!type.getKey().startsWith("github_")) {
                    continue;
                }
                // the package's folders: github_repository_environment → repository-environment,
                // data github_user → data-github-user
                Set<String> known = attributes(kind.equals("data") ? "data-" + type.getKey().replace('_', '-')
                        : type.getKey().substring("github_".length()).replace('_', '-'));
                for (var elements = type.getValue().fields(); elements.hasNext(); ) {
                    JsonNode element = elements.next().getValue();
                    for (var keys = element.fieldNames(); keys.hasNext(); ) {
                        String key = keys.next();
                        if (!META.contains(key)) {
                            assertTrue(known.contains(key), type.getKey() + "." + key + " is not in " + known);
                            checked++;
                        }
                    }
                }
            }
        }
        // template 3, apply environment 6, plan environment 5 (no branch policy), branch policy 3, user 1, team 2
        assertEquals(20, checked);
    }

    @Test
    void theCheckKnowsAnUnknownKey() throws IOException {
        Set<String> environment = attributes("repository-environment");
        assertTrue(environment.containsAll(Set.of("repository", "environment", "can_admins_bypass", "prevent_self_review",
                "reviewers", "deployment_branch_policy", "wait_timer")), environment::toString);
        assertTrue(!environment.contains("admins_bypass"), "a misspelling is not in the schema");
    }

    /** The attribute and block names of one element, from its generated {@code synthesizeAttributes}. */
    static Set<String> attributes(String dir) throws IOException {
        Path js = PACKAGE.resolve(dir).resolve("index.js");
        assertTrue(Files.exists(js), js + " (npm ci installs @cdktf/provider-github)");
        String text = Files.readString(js);
        int start = text.indexOf("synthesizeAttributes() {");
        assertTrue(start >= 0, js + " has synthesizeAttributes");
        String body = text.substring(start, text.indexOf("synthesizeHclAttributes", start));
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s+([a-z_]+): ").matcher(body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
