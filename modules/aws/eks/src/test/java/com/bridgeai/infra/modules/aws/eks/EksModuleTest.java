package com.bridgeai.infra.modules.aws.eks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link EksModule} on its own: props records built into a bare stack (one App for the class),
 * checked with the cdktf matchers. The eks stack as a whole is tested in src/test (EksStackTest).
 */
class EksModuleTest {
    static final App APP = Testing.app();
    static final AwsAccount ACCOUNT = new AwsAccount("aws", "123456789012", "eu-west-2");
    static final EksProps.NodeGroup GPU_TAINTED = new EksProps.NodeGroup(
            "AL2023_x86_64_NVIDIA", "ON_DEMAND", List.of("g4dn.xlarge"), 1, 1, 2, 100, true);
    static final EksProps.NodeGroup CPU = new EksProps.NodeGroup(
            "AL2023_x86_64_STANDARD", "SPOT", List.of("m6i.large"), 1, 2, 3, 50, true);
    static final List<EksProps.Addon> ADDONS = List.of(
            new EksProps.Addon("vpc-cni", EksProps.Addon.DEFAULT, Optional.empty(), Optional.empty()),
            new EksProps.Addon("aws-ebs-csi-driver", "v1.37.0-eksbuild.1", Optional.empty(), Optional.of("mlops-test-ebs-csi")));
    private static int stacks;

    static EksProps props(EksProps.NodeGroup nodeGroup, List<EksProps.Addon> addons, boolean emulated) {
        return new EksProps("mlops-test-cluster", "1.33", List.of("subnet-a", "subnet-b"), true, true,
                List.of("203.0.113.0/24"), List.of("api", "audit"), 30, nodeGroup, addons, emulated, ACCOUNT,
                "change kubernetes_version in env/test/env.yaml");
    }

    record Synth(EksModule module, String json) {}

    static Synth synth(EksProps props) {
        TerraformStack stack = new TerraformStack(APP, "eks_" + (++stacks));
        EksModule module = new EksModule(stack, "eks", props);
        return new Synth(module, Testing.synth(stack));
    }

    @Test
    void anEncryptedClusterWithLogsAndAnOidcProvider() {
        String json = synth(props(GPU_TAINTED, ADDONS, false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_cluster", Map.of(
                "name", "mlops-test-cluster", "version", "1.33", "enabled_cluster_log_types", List.of("api", "audit"))), json);
        assertTrue(json.contains("\"resources\": [\n            \"secrets\"\n          ]")
                || json.replaceAll("\\s", "").contains("\"resources\":[\"secrets\"]"), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_cloudwatch_log_group", Map.of(
                "name", "/aws/eks/mlops-test-cluster/cluster", "retention_in_days", 30)), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_iam_openid_connect_provider", Map.of(
                "client_id_list", List.of("sts.amazonaws.com"))), json);
        // real AWS: the live version check (AWS's own list of versions) refuses at plan time
        assertTrue(Testing.toHaveDataSource(json, "aws_eks_cluster_versions"), json);
        assertTrue(json.contains("change kubernetes_version in env/test/env.yaml"), json);
    }

    @Test
    void gpuNodesCarryTheClusterContractsLabelsAndTaint() {
        String json = synth(props(GPU_TAINTED, List.of(), false)).json();
        ClusterContract.Taint taint = ClusterContract.gpuTaint();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_node_group", Map.of(
                "node_group_name", "mlops-test-cluster-workers",
                "ami_type", "AL2023_x86_64_NVIDIA",
                "labels", ClusterContract.nodeLabels("workers", true),
                "taint", List.of(Map.of("key", taint.key(), "value", taint.value(), "effect", "NO_SCHEDULE")))), json);
        // IMDSv2 only, hop limit 1 (pods use IRSA), an encrypted gp3 root volume
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_launch_template", Map.of(
                "metadata_options", Map.of("http_tokens", "required", "http_put_response_hop_limit", 1))), json);
        assertTrue(json.contains("\"encrypted\": \"true\""), json);
    }

    @Test
    void aCpuNodeGroupHasNeitherGpuLabelsNorTaint() {
        String json = synth(props(CPU, List.of(), false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_node_group", Map.of(
                "labels", Map.of("bridgeai.io/node-group", "workers"), "capacity_type", "SPOT")), json);
        assertFalse(json.contains("\"taint\""), json);
        assertFalse(json.contains(ClusterContract.GPU_PRESENT_LABEL), json);
    }

    @Test
    void addOnsGetTheirVersionAndIrsaRole() {
        Synth synth = synth(props(GPU_TAINTED, ADDONS, false));
        String json = synth.json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_addon", Map.of(
                "addon_name", "aws-ebs-csi-driver", "addon_version", "v1.37.0-eksbuild.1")), json);
        assertTrue(Testing.toHaveDataSourceWithProperties(json, "aws_eks_addon_version", Map.of(
                "addon_name", "vpc-cni", "kubernetes_version", "1.33", "most_recent", false)), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_iam_role", Map.of("name", "mlops-test-ebs-csi")), json);
        assertTrue(json.contains("system:serviceaccount:kube-system:ebs-csi-controller-sa"), json);
        assertEquals(List.of("aws-ebs-csi-driver"), List.copyOf(synth.module().addonRoleArns().keySet()));
    }

    @Test
    void nodeLevelAddOnsDoNotWaitForTheNodeGroupTheOthersDo() {
        List<EksProps.Addon> addons = List.of(
                new EksProps.Addon("vpc-cni", "v1.19.2-eksbuild.1", Optional.empty(), Optional.empty()),
                new EksProps.Addon("kube-proxy", "v1.33.0-eksbuild.2", Optional.empty(), Optional.empty()),
                new EksProps.Addon("eks-pod-identity-agent", "v1.3.4-eksbuild.1", Optional.empty(), Optional.empty()),
                new EksProps.Addon("coredns", "v1.12.1-eksbuild.2", Optional.empty(), Optional.empty()),
                new EksProps.Addon("aws-ebs-csi-driver", "v1.37.0-eksbuild.1", Optional.empty(), Optional.of("mlops-test-ebs-csi")));
        String json = synth(props(GPU_TAINTED, addons, false)).json();
        String waitsForNodes = "\"depends_on\": [\n          \"aws_eks_node_group.eks_node_group_22D7B86F\"\n        ]";
        for (EksProps.Addon addon : addons) {
            // the add-on's own resource block, up to the next add-on's
            int at = json.indexOf("\"eks_addon_" + addon.name() + "_");
            assertTrue(at > 0, addon.name() + " in " + json);
            int end = json.indexOf("\"eks_addon_", at + 1);
            String block = json.substring(at, end < 0 ? json.length() : end);
            assertEquals(!AddonCatalog.beforeCompute(addon.name()), block.contains(waitsForNodes), addon.name() + ": " + block);
        }
        assertTrue(AddonCatalog.beforeCompute("vpc-cni"));
        assertFalse(AddonCatalog.beforeCompute("coredns"));
    }

    @Test
    void theEmulatorGetsTheRolesButNoAddOnsAndNoVersionCheck() {
        String json = synth(props(GPU_TAINTED, ADDONS, true)).json();
        assertFalse(Testing.toHaveResource(json, "aws_eks_addon"), json);
        assertFalse(Testing.toHaveDataSource(json, "aws_eks_cluster_versions"), json);
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_iam_role", Map.of("name", "mlops-test-ebs-csi")), json);
    }

    @Test
    void anAddOnRoleIsEitherGivenOrCreatedFromTheCatalog() {
        assertThrows(IllegalArgumentException.class, () -> new EksProps.Addon("aws-ebs-csi-driver", "default",
                Optional.of("arn:aws:iam::1:role/x"), Optional.of("y")));
        assertThrows(IllegalArgumentException.class, () -> new EksProps.Addon("coredns", "default",
                Optional.empty(), Optional.of("y")));
    }

    @Test
    void theUpgradePolicyIsAlwaysWrittenStandardUnlessAskedForExtended() {
        // EKS API UpgradePolicyRequest: "The default value is EXTENDED": never left to the API
        String standard = synth(props(CPU, List.of(), true)).json();
        assertTrue(Testing.toHaveResourceWithProperties(standard, "aws_eks_cluster", Map.of(
                "upgrade_policy", Map.of("support_type", "STANDARD"))), standard);
        EksProps p = props(CPU, List.of(), true);
        String extended = synth(new EksProps(p.clusterName(), p.kubernetesVersion(), p.privateSubnetIds(),
                p.endpointPublicAccess(), p.endpointPrivateAccess(), p.publicAccessCidrs(), p.logTypes(), p.logRetentionDays(),
                p.nodeGroup(), p.addons(), p.emulated(), p.account(), p.versionAdvice(), EksProps.EXTENDED)).json();
        assertTrue(Testing.toHaveResourceWithProperties(extended, "aws_eks_cluster", Map.of(
                "upgrade_policy", Map.of("support_type", "EXTENDED"))), extended);
        assertThrows(IllegalArgumentException.class, () -> new EksProps(p.clusterName(), p.kubernetesVersion(),
                p.privateSubnetIds(), true, true, p.publicAccessCidrs(), p.logTypes(), 30, p.nodeGroup(), List.of(), true,
                ACCOUNT, "x", "standard"));
    }

    @Test
    void anAddOnsConfigurationValuesAreWrittenAndTheNodeGroupWaitsForTheBeforeComputeOnes() {
        String config = "{\"enableNetworkPolicy\":\"true\"}";
        String json = synth(props(CPU, List.of(
                new EksProps.Addon("vpc-cni", EksProps.Addon.DEFAULT, Optional.empty(), Optional.empty(), Optional.of(config)),
                new EksProps.Addon("coredns", EksProps.Addon.DEFAULT, Optional.empty(), Optional.empty())), false)).json();
        assertTrue(Testing.toHaveResourceWithProperties(json, "aws_eks_addon", Map.of(
                "addon_name", "vpc-cni", "configuration_values", config)), json);
        assertTrue(json.matches("(?s).*\"aws_eks_node_group\".*\"depends_on\": \\[[^\\]]*\"aws_eks_addon\\.eks_addon_vpc-cni_[0-9A-F]{8}\".*"),
                json);
        assertFalse(json.matches("(?s).*\"depends_on\": \\[[^\\]]*\"aws_eks_addon\\.eks_addon_coredns_.*"), json);
    }

    @Test
    void anIrsaRoleMatchesOneServiceAccountExactlyOrAPatternWithStringLike() {
        TerraformStack stack = new TerraformStack(APP, "irsa_" + (++stacks));
        new IrsaRole(stack, "exact", "exact", "arn:aws:iam::1:oidc-provider/x", "x", "kube-system", "ebs-csi-controller-sa");
        new IrsaRole(stack, "like", "like", "arn:aws:iam::1:oidc-provider/x", "x", "kube-system", "efs-csi-*",
                IrsaRole.Subject.LIKE);
        String json = Testing.synth(stack);
        assertTrue(Testing.toHaveDataSourceWithProperties(json, "aws_iam_policy_document", Map.of("statement", List.of(Map.of(
                "condition", List.of(Map.of("test", "StringEquals", "variable", "x:sub",
                        "values", List.of("system:serviceaccount:kube-system:ebs-csi-controller-sa")),
                        Map.of("test", "StringEquals", "variable", "x:aud", "values", List.of("sts.amazonaws.com"))))))), json);
        assertTrue(Testing.toHaveDataSourceWithProperties(json, "aws_iam_policy_document", Map.of("statement", List.of(Map.of(
                "condition", List.of(Map.of("test", "StringLike", "variable", "x:sub",
                        "values", List.of("system:serviceaccount:kube-system:efs-csi-*")),
                        Map.of("test", "StringEquals", "variable", "x:aud", "values", List.of("sts.amazonaws.com"))))))), json);
        // a pattern needs StringLike and an exact name StringEquals: the two cannot be mixed up
        assertThrows(IllegalArgumentException.class, () -> new IrsaRole(stack, "bad1", "b", "a", "x", "ns", "efs-csi-*"));
        assertThrows(IllegalArgumentException.class, () -> new IrsaRole(stack, "bad2", "b", "a", "x", "ns", "sa",
                IrsaRole.Subject.LIKE));
        assertEquals(IrsaRole.Subject.LIKE, AddonCatalog.irsa("aws-efs-csi-driver").orElseThrow().subject());
        assertEquals("efs-csi-*", AddonCatalog.irsa("aws-efs-csi-driver").orElseThrow().serviceAccount());
        assertEquals(IrsaRole.Subject.EXACTLY, AddonCatalog.irsa("aws-ebs-csi-driver").orElseThrow().subject());
    }
}
