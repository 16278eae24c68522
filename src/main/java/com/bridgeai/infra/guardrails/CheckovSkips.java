package com.bridgeai.infra.guardrails;

import com.hashicorp.cdktf.TerraformDataSource;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A checkov check waived for one resource, with its reason, written where checkov's cdktf format
 * puts it: the resource's {@code "//"} metadata, {@code "checkov": {"skip": [{"id": ..., "comment":
 * ...}]}} (the form of checkov's own terraform_json example, tests/terraform_json/examples/cdk.tf.json).
 * checkov 3.3.13's terraform_json runner parses that block but does not apply it (its
 * {@code run_block} scans every resource with an empty skip list), so {@code bin/checkov-scan}
 * applies it: a failure of a listed check on that resource counts as skipped, its reason printed.
 * Unlike {@code .checkov.yaml}'s {@code skip-check}, which waives a check for every resource of
 * every env, this waives it for one resource of the env that synthesizes it.
 */
public final class CheckovSkips {
    /** Where the skips live in a resource's JSON: {@code "//": {"checkov": {"skip": [...]}}}. */
    public static final String PATH = "//.checkov.skip";

    private CheckovSkips() {}

    /**
     * Waives {@code reasons}' check ids (in order) on {@code resource}; call once per resource (a
     * second call replaces the first). A blank reason is refused: a waiver must say why.
     */
    public static void skip(TerraformResource resource, Map<String, String> reasons) {
        resource.addOverride(PATH, entries(resource.getNode().getPath(), reasons));
    }

    /**
     * The same for a data source: checkov also checks {@code aws_iam_policy_document}s (CKV_AWS_1,
     * CKV_AWS_49, ...), naming them {@code data.<name>} or {@code <type>.<name>}. cdktf 0.21 writes a
     * data source's {@code "//"} after its overrides (terraform-data-source.js: {@code attributes["//"]
     * = this.constructNodeMetadata}), so the waiver goes in through the stack, whose overrides are
     * merged into the finished JSON.
     */
    public static void skip(TerraformDataSource dataSource, Map<String, String> reasons) {
        TerraformStack.of(dataSource).addOverride("data." + dataSource.getTerraformResourceType() + "."
                + dataSource.getFriendlyUniqueId() + "." + PATH, entries(dataSource.getNode().getPath(), reasons));
    }

    private static List<Map<String, String>> entries(String path, Map<String, String> reasons) {
        List<Map<String, String>> entries = new ArrayList<>();
        new LinkedHashMap<>(reasons).forEach((id, reason) -> {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("checkov skip " + id + " on " + path + ": a reason is required");
            }
            // TreeMap: a stable key order in cdk.tf.json
            entries.add(new TreeMap<>(Map.of("id", id, "comment", reason)));
        });
        return entries;
    }
}
