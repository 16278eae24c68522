package com.bridgeai.infra.stacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.hashicorp.cdktf.TerraformDataSource;
import com.hashicorp.cdktf.TerraformResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.constructs.IConstruct;

/**
 * Raw overrides ({@code addOverride}) bypass the typed API: the provider schema cannot check them,
 * and a typo is only caught by {@code terraform validate}. With the 5.100.0 bindings every AWS
 * resource and data source the stacks use is typed, so the only overrides left are the ones the
 * API cannot express. cdktf records each one in the stack's {@code //.metadata.overrides}
 * (element type → overridden keys); this test reads that record from every stack of every
 * committed env and of the variant, and fails on an override that is not listed here with its reason.
 */
class OverridesTest {
    /** element type → the keys it may override, and why no typed setter can write them. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            // required_providers.<p> pinned exactly with its full source: cdktf writes the
            // binding's own constraint ("~> 5.0") and, for kubernetes/helm, a bare name;
            // "removed" blocks (Terraform 1.7+) have no construct in cdktf 0.21; "data": a checkov
            // waiver on a data source (CheckovSkips: cdktf writes a data source's "//" after its overrides)
            "stack", Set.of("terraform", "removed", "data"),
            // AWS_PROFILE in the exec env: cdktf snake_cases every key of a provider block, also
            // of the typed env map (aws_profile would be ignored by the AWS CLI), see FluxModule
            "kubernetes", Set.of("exec"),
            "helm", Set.of("kubernetes"));

    /** The comment property of a Terraform JSON object (metadata only). */
    private static final String METADATA = "//";

    /**
     * Plain elements allowed, by Terraform type, with the reason: GitHub resources of the ci stack
     * whose Java bindings are not among the trimmed github submodules (bindings/github/pom.xml);
     * adding them means regenerating the shared binding. Their attribute names are checked against
     * the provider package's own generated code instead (RawGithubElementsTest).
     */
    static final Map<String, String> PLAIN_ALLOWED = Map.of(
            "github_actions_repository_oidc_subject_claim_customization_template",
            "the repository's OIDC subject template the CI roles' trust relies on",
            "github_repository_environment", "the apply job's protected environment",
            "github_repository_environment_deployment_policy", "its deployment branch",
            "github_user", "a required reviewer's id",
            "github_team", "a required reviewer team's id");

    /** The committed envs (test, local, prod) and the variant (CI keys, access entries). */
    private static List<SynthStack> everyStack() {
        List<SynthStack> stacks = new ArrayList<>(SynthFixture.seed().stacks());
        stacks.addAll(SynthFixture.variant().stacks());
        return stacks;
    }

    @Test
    void everyOverrideIsOneTheTypedApiCannotWrite() {
        Map<String, Set<String>> unexpected = new TreeMap<>();
        int seen = 0;
        for (SynthStack stack : everyStack()) {
            JsonNode overrides = stack.tree().path("//").path("metadata").path("overrides");
            for (var type = overrides.fieldNames(); type.hasNext(); ) {
                String element = type.next();
                for (JsonNode key : overrides.get(element)) {
                    seen++;
                    // "//" is Terraform JSON's comment property: Terraform ignores it, it configures
                    // nothing; the overrides under it are scanner metadata (CheckovSkips' per-resource
                    // checkov waivers, GuardRails' suppressions), which no typed setter writes;
                    // a plain element has no typed setter at all: each of its keys is an override
                    boolean plain = PLAIN_ALLOWED.containsKey(element) && stack.name().endsWith("-ci");
                    if (!plain && !key.asText().equals(METADATA)
                            && !ALLOWED.getOrDefault(element, Set.of()).contains(key.asText())) {
                        unexpected.computeIfAbsent(stack.name() + ": " + element, k -> new TreeSet<>()).add(key.asText());
                    }
                }
            }
        }
        // the record is there to be read (cdktf writes it for the stacks' own overrides)
        assertFalse(seen == 0, "no stack recorded an override: has cdktf stopped writing //.metadata.overrides?");
        assertEquals(Map.of(), unexpected, "overrides the typed API should write instead (or list them here with the reason)");
    }

    /**
     * The other escape hatch, a plain {@code TerraformResource}/{@code TerraformDataSource} with a
     * type name and raw keys, leaves no record in the JSON; it is found in the construct tree
     * instead: an element created from Java is the Java object itself, of its typed class.
     */
    @Test
    void everyResourceAndDataSourceIsOfATypedClass() {
        List<String> untyped = new ArrayList<>();
        int elements = 0;
        for (SynthStack stack : everyStack()) {
            for (IConstruct construct : stack.stack().getNode().findAll()) {
                if (construct instanceof TerraformResource || construct instanceof TerraformDataSource) {
                    elements++;
                    if (construct.getClass() == TerraformResource.class || construct.getClass() == TerraformDataSource.class) {
                        String type = construct instanceof TerraformResource r ? r.getTerraformResourceType()
                                : ((TerraformDataSource) construct).getTerraformResourceType();
                        if (!PLAIN_ALLOWED.containsKey(type) || !stack.name().endsWith("-ci")) {
                            untyped.add(construct.getNode().getPath() + " (" + type + ")");
                        }
                    }
                }
            }
        }
        assertFalse(elements < 100, "only " + elements + " resources and data sources found in the construct tree");
        assertEquals(List.of(), untyped, "resources written through the raw escape hatch: use the typed class of the bindings");
    }
}
