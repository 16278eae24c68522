package com.bridgeai.infra.modules.aws.eks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link EksModule} with {@link EksProps.KarpenterCapacity}: the system group instead of the GPU
 * group, and {@link KarpenterAws}. Statement-by-statement checks of the policies are in src/test
 * (KarpenterStackTest), over a whole karpenter env.
 */
class KarpenterAwsTest {
    static final EksProps.KarpenterCapacity SYSTEM = new EksProps.KarpenterCapacity(List.of("m7i.large"),
            "AL2023_x86_64_STANDARD", 2);

    static EksProps props(boolean emulated) {
        EksProps p = EksModuleTest.props(EksModuleTest.GPU_TAINTED, EksModuleTest.ADDONS, emulated);
        return new EksProps(p.clusterName(), p.kubernetesVersion(), p.privateSubnetIds(), p.endpointPublicAccess(),
                p.endpointPrivateAccess(), p.publicAccessCidrs(), p.logTypes(), p.logRetentionDays(), p.nodeGroup(), p.addons(),
                p.emulated(), p.account(), p.versionAdvice(), p.supportType(), Optional.of(SYSTEM));
    }

    @Test
    void theSystemGroupReplacesTheGpuGroup() {
        String json = EksModuleTest.synth(props(false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_node_group", Map.of(
                "node_group_name", "mlops-test-cluster-system",
                "ami_type", "AL2023_x86_64_STANDARD",
                "capacity_type", "ON_DEMAND",
                "instance_types", List.of("m7i.large"),
                "subnet_ids", List.of("subnet-a", "subnet-b"),
                "scaling_config", Map.of("min_size", 2, "desired_size", 2, "max_size", 2),
                "labels", ClusterContract.nodeLabels(ClusterContract.SYSTEM_NODE_GROUP, false))), json);
        assertFalse(json.contains("mlops-test-cluster-workers"), "no GPU group");
        assertFalse(json.contains("\"taint\""), json);
        assertEquals("system", EksModule.SYSTEM);
    }

    @Test
    void realAwsGetsTheAccessEntryAndTheSecurityGroupTag() {
        String json = EksModuleTest.synth(props(false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_access_entry", Map.of("type", "EC2_LINUX")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_ec2_tag", Map.of(
                "key", "karpenter.sh/discovery", "value", "mlops-test-cluster")), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_sqs_queue", Map.of(
                "name", "mlops-test-cluster", "message_retention_seconds", 300, "sqs_managed_sse_enabled", true)), json);
        assertEquals(KarpenterAws.RULES.size(), count(json, "\"target_id\": \"KarpenterInterruptionQueueTarget\""), json);
    }

    @Test
    void theEmulatorGetsEverythingButTheAccessEntryAndTheSecurityGroupTag() {
        EksModuleTest.Synth synth = EksModuleTest.synth(props(true));
        String json = synth.json();
        assertFalse(Testing.toHaveResource(json, "aws_eks_access_entry"), json);
        assertFalse(Testing.toHaveResource(json, "aws_ec2_tag"), json);
        assertTrue(Testing.toHaveResource(json, "aws_sqs_queue_policy"), json);
        assertTrue(synth.module().karpenter().isPresent());
    }

    @Test
    void aClusterNameTooLongForTheRuleNamesIsRefused() {
        String name = "c".repeat(KarpenterAws.MAX_RULE_NAME - "capacity-interruption".length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KarpenterAws.Props(name, name,
                "arn", "sg", "oidc", "issuer", EksModuleTest.ACCOUNT, false));
        assertTrue(e.getMessage().contains("longer than 64"), e.getMessage());
    }

    @Test
    void theSystemGroupIsACpuImage() {
        assertThrows(IllegalArgumentException.class, () -> new EksProps.KarpenterCapacity(List.of("g4dn.xlarge"),
                "AL2023_x86_64_NVIDIA", 2));
        assertThrows(IllegalArgumentException.class, () -> new EksProps.KarpenterCapacity(List.of(), "AL2023_x86_64_STANDARD", 2));
        assertEquals(EksProps.KarpenterCapacity.DEFAULT_SYSTEM_DISK_SIZE_GIB, SYSTEM.systemGroup().diskSizeGib());
        assertFalse(SYSTEM.systemGroup().gpu());
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }
}
