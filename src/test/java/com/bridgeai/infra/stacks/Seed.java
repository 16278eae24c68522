package com.bridgeai.infra.stacks;

import java.util.List;

/**
 * The values of the original system (seed README, "Environment variables" and "Quick start"),
 * written out here rather than read from env/test/env.yaml: the stack tests check that they
 * arrive in the synthesized Terraform, so they must not come through the code under test.
 */
final class Seed {
    static final String BUCKET = "tfstate-mlops-test";
    static final String LOCK_TABLE = "terraform-state-locks";

    static final List<String> AZS = List.of("eu-west-2a", "eu-west-2b");
    static final String CIDR = "10.155.48.0/20";
    static final String ENVIRONMENT = "test";
    static final String PROFILE = "digicat-mlops";
    static final String PROJECT = "mlops";
    static final String REGION = "eu-west-2";
    static final String STAGE = "pipeline";

    static final String AMI_TYPE = "AL2_x86_64_GPU";
    static final String CAPACITY_TYPE = "ON_DEMAND";
    static final int DESIRED_SIZE = 1;
    static final String KUBERNETES_VERSION = "1.30";
    static final List<String> INSTANCE_TYPES = List.of("g4dn.xlarge");
    static final int MAX_SIZE = 1;
    static final int MIN_SIZE = 1;

    static final String EBS_ADDON = "aws-ebs-csi-driver";
    static final String EBS_VERSION = "v1.32.0-eksbuild.1";
    static final String EBS_ROLE = "AmazonEKS_EBS_CSI_DriverRole";
    static final String EFS_ADDON = "aws-efs-csi-driver";
    static final String EFS_VERSION = "v2.0.5-eksbuild.1";
    static final String EFS_ROLE = "AmazonEKS_EFS_CSI_DriverRole";

    /** The seed's cluster name (its Quick start: update-kubeconfig --name mlops-test-cluster). */
    static final String CLUSTER = "mlops-test-cluster";

    /** The emulated environment (env/local/env.yaml): same keys, its own bucket, the moto endpoint. */
    static final String LOCAL_BUCKET = "tfstate-mlops-local";
    static final String EMULATOR = "http://127.0.0.1:5000";

    private Seed() {}
}
