package com.bridgeai.infra.modules.aws.eks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.constructs.Construct;

/** {@link ManagedNodeGroup} and {@link LogicalIds} on their own (one App for the class). */
class ManagedNodeGroupTest {
    static final App APP = Testing.app();
    private static int stacks;

    static ManagedNodeGroup.Props props(String name, EksProps.NodeGroup spec, boolean emulated,
            Optional<ManagedNodeGroup.KeptLogicalIds> kept) {
        return new ManagedNodeGroup.Props("mlops-test-cluster", name, "mlops-test-cluster", "arn:aws:iam::1:role/node",
                List.of("subnet-a", "subnet-b"), spec, emulated, List.of(), kept);
    }

    static TerraformStack stack() {
        return new TerraformStack(APP, "mng_" + (++stacks));
    }

    @Test
    void eachGroupIsItsOwnConstructWithItsOwnLaunchTemplate() {
        TerraformStack stack = stack();
        new ManagedNodeGroup(stack, "gpu", props("gpu", EksModuleTest.GPU_TAINTED, false, Optional.empty()));
        new ManagedNodeGroup(stack, "cpu", props("cpu", EksModuleTest.CPU, false, Optional.empty()));
        String json = Testing.synth(stack);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_node_group", Map.of(
                "node_group_name", "mlops-test-cluster-gpu", "labels", ClusterContract.nodeLabels("gpu", true),
                "scaling_config", Map.of("min_size", 1, "desired_size", 1, "max_size", 2))), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_node_group", Map.of(
                "node_group_name", "mlops-test-cluster-cpu", "labels", ClusterContract.nodeLabels("cpu", false),
                "capacity_type", "SPOT", "instance_types", List.of("m6i.large"))), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_launch_template", Map.of(
                "name_prefix", "mlops-test-cluster-gpu-")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_launch_template", Map.of(
                "name_prefix", "mlops-test-cluster-cpu-",
                "metadata_options", Map.of("http_tokens", "required", "http_put_response_hop_limit", ManagedNodeGroup.IMDS_HOP_LIMIT))), json);
        // each group names its own template
        assertTrue(json.contains("${aws_launch_template.gpu_launch_template_"), json);
        assertTrue(json.contains("${aws_launch_template.cpu_launch_template_"), json);
    }

    @Test
    void theEmulatorIgnoresWhatItEchoesBackDifferently() {
        TerraformStack stack = stack();
        new ManagedNodeGroup(stack, "workers", props("workers", EksModuleTest.CPU, true, Optional.empty()));
        String json = Testing.synth(stack);
        assertTrue(json.contains("\"tag_specifications\""), json);
        assertTrue(json.contains("\"remote_access\""), json);
        TerraformStack real = stack();
        new ManagedNodeGroup(real, "workers", props("workers", EksModuleTest.CPU, false, Optional.empty()));
        assertFalse(Testing.synth(real).contains("ignore_changes"));
    }

    @Test
    void keptLogicalIdsKeepTheAddressesOfAGroupBuiltBeforeTheConstructExisted() {
        TerraformStack stack = stack();
        new ManagedNodeGroup(stack, "workers", props("workers", EksModuleTest.CPU, false, Optional.of(
                new ManagedNodeGroup.KeptLogicalIds("eks_node_launch_template_0AF09412", "eks_node_group_22D7B86F"))));
        String json = Testing.synth(stack);
        assertTrue(json.contains("\"eks_node_group_22D7B86F\": {"), json);
        assertTrue(json.contains("\"eks_node_launch_template_0AF09412\": {"), json);
        assertTrue(json.contains("${aws_launch_template.eks_node_launch_template_0AF09412.id}"), json);
    }

    @Test
    void logicalIdsAreTheOnesCdktfAllocates() {
        TerraformStack stack = stack();
        Construct eks = new Construct(stack, "eks");
        Construct nested = new Construct(eks, "eks_workers"); // a component the previous one ends with... not this one
        Construct dupe = new Construct(nested, "workers"); // "eks_workers" ends with "workers": dropped from the readable part
        for (Construct scope : List.of(stack, eks, nested, dupe)) {
            for (String id : List.of("node_group", "bucket-1", "Resource")) {
                S3Bucket probe = new S3Bucket(scope, id, S3BucketConfig.builder().build());
                assertEquals(stack.getLogicalId(probe), LogicalIds.of(scope, id), scope.getNode().getPath() + "/" + id);
            }
        }
        // the snapshot's address of the node group EksModule("eks") built itself before ManagedNodeGroup existed
        Construct module = new Construct(stack(), "eks");
        assertEquals("eks_node_group_22D7B86F", LogicalIds.of(module, "node_group"));
        assertEquals("eks_node_launch_template_0AF09412", LogicalIds.of(module, "node_launch_template"));
    }

    @Test
    void aGroupNameIsALabelValueAndPartOfAnAwsName() {
        assertThrows(IllegalArgumentException.class, () -> props("GPU workers", EksModuleTest.CPU, false, Optional.empty()));
        assertEquals("mlops-test-cluster-gpu", props("gpu", EksModuleTest.CPU, false, Optional.empty()).awsName());
    }
}
