package com.bridgeai.infra.config;

import com.bridgeai.infra.config.EnvConfig.Project;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The env file's project keys: the names every resource and tag derives from, the region and
 * the AWS CLI profile. {@code folder} is the env's folder name, which {@code environment} must equal.
 */
record ProjectKeys(YamlFields f, String folder) {
    static final List<String> KEYS = List.of("project", "environment", "stage", "region", "profile");

    /** IAM role names (64 max) are the cluster name plus suffixes like "-aws-efs-csi-driver". */
    static final int MAX_CLUSTER_NAME = 40;

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,64}");

    /**
     * The project keys; a component is null where its key has an error. The others still serve
     * the later sections' rules (zones of the region, GitOps names from project and environment).
     */
    Project read() {
        String project = f.string("project", true).filter(f.check("project", v -> NAME.matcher(v).matches(),
                "2-32 characters of a-z 0-9 and '-', starting with a letter (it prefixes resource names)")).orElse(null);
        String environment = f.string("environment", true)
                .filter(f.check("environment", v -> NAME.matcher(v).matches(), "2-32 characters of a-z 0-9 and '-',"
                        + " starting with a letter (it names the stacks, the state keys and AWS resources)"))
                .filter(f.check("environment", folder::equals, "the environment's folder name \"" + folder + "\" (env/"
                        + folder + "/" + EnvConfigLoader.FILE_NAME + ")")).orElse(null);
        if (project != null && environment != null && (project + "-" + environment + "-cluster").length() > MAX_CLUSTER_NAME) {
            f.invalid("environment", "expected project and environment short enough for the cluster name \""
                    + project + "-" + environment + "-cluster\" to have at most " + MAX_CLUSTER_NAME
                    + " characters (IAM role names derive from it), found " + (project + "-" + environment + "-cluster").length());
        }
        String stage = f.string("stage", true).filter(f.check("stage", v -> NAME.matcher(v).matches(),
                "2-32 characters of a-z 0-9 and '-', starting with a letter")).orElse(null);
        String region = f.string("region", true).filter(f.check("region", v -> REGION.matcher(v).matches(),
                "an AWS region code like \"eu-west-2\"")).orElse(null);
        String profile = f.string("profile", true).filter(f.check("profile", v -> PROFILE.matcher(v).matches(),
                "an AWS CLI profile name (1-64 characters of A-Z a-z 0-9 _ + = , . @ -)")).orElse(null);
        return new Project(project, environment, stage, region, profile);
    }
}
