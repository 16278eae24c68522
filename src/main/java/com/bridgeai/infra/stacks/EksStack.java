package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.guardrails.CheckovSkips;
import com.bridgeai.infra.modules.apps.mlflow.MlflowArtifactStore;
import com.bridgeai.infra.modules.aws.eks.AddonCatalog;
import com.bridgeai.infra.modules.aws.eks.AppsDatabase;
import com.bridgeai.infra.modules.apps.database.AppsDatabaseAccess;
import com.bridgeai.infra.modules.gitops.DatabaseAccess;
import com.bridgeai.infra.modules.aws.eks.EfsStorage;
import com.bridgeai.infra.modules.aws.eks.EksModule;
import com.bridgeai.infra.modules.aws.eks.EksProps;
import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.aws.vpc.VpcModule;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * {@code <env>-eks}: the cluster (seed module aws/eks), its add-ons with IRSA roles, and
 * the AWS side of the apps (MLflow's artifact bucket + role, the EFS file system).
 * Subnets and VPC come from the VPC stack as cross-stack references.
 */
public final class EksStack extends EnvStack {
    private final EksModule eks;
    private final ClusterRefs refs;

    public EksStack(Construct scope, EnvConfig env, VpcStack vpcStack) {
        this(scope, env, vpcStack, Optional.empty());
    }

    public EksStack(Construct scope, EnvConfig env, VpcStack vpcStack, Optional<CiStack> ci) {
        super(scope, env, StackUnit.EKS);
        useRemoteState();
        awsProvider();
        VpcModule vpc = vpcStack.vpc();
        AwsAccount account = account(this, env);
        EnvConfig.Cluster c = env.cluster();
        EnvConfig.NodeGroup ng = c.nodeGroup();
        List<EksProps.Addon> addons = env.addons().enabled()
                ? env.addons().list().stream().map(a -> addon(env, a, account.accountId())).toList()
                : List.of();
        if (env.gitops().isPresent()) {
            addons = withNetworkPolicy(addons);
        }

        eks = new EksModule(this, "eks", new EksProps(
                env.clusterName(),
                c.kubernetesVersion(),
                vpc.privateSubnetIds(),
                c.endpointPublicAccess(),
                c.endpointPrivateAccess(),
                c.publicAccessCidrs(),
                c.logTypes(),
                env.logRetentionDays(),
                new EksProps.NodeGroup(ng.amiType(), ng.capacityType(), ng.instanceTypes(), ng.minSize(),
                        ng.desiredSize(), ng.maxSize(), ng.diskSizeGib(), ng.gpuTaint()),
                addons,
                env.emulated(),
                account,
                "Set kubernetes_version in " + env.file() + " to one of them.",
                c.supportType(),
                // gpu_capacity: karpenter: the system group instead of the GPU group, and Karpenter's AWS side
                c.karpenter().map(k -> new EksProps.KarpenterCapacity(k.systemInstanceTypes(), k.systemAmiType(),
                        k.systemNodeCount()))));
        if (c.publicAccessOpenToWorld()) {
            // the env's own file opens the endpoint to the internet on purpose (ClusterKeys refuses
            // 0.0.0.0/0 otherwise): checkov's check is waived for this env's cluster only, not for all
            CheckovSkips.skip(eks.cluster(), Map.of("CKV_AWS_38", env.file() + " sets public_access_open_to_world: true:"
                    + " the EKS API endpoint is open to 0.0.0.0/0 on purpose (IAM authentication still applies);"
                    + " set public_access_cidrs to your ranges to close it"));
        }

        if (!env.emulated()) { // moto has no EKS access entries
            ci.ifPresent(ciStack -> new CiClusterAccess(this, "ci_access", eks.clusterName(),
                    "arn:aws:iam::" + env.ci().orElseThrow().awsAccountId() + ":role/" + ciStack.planRoleName()));
        }

        String prefix = env.project().project() + "-" + env.name();
        MlflowArtifactStore mlflow = new MlflowArtifactStore(this, "mlflow", eks, prefix, env.backend().accessLogBucket(),
                !env.emulated()); // TLS-only on real S3; the emulator is plain http
        boolean efs = addons.stream().anyMatch(a -> a.name().equals("aws-efs-csi-driver"));
        String efsId = efs
                ? new EfsStorage(this, "efs", prefix, vpc.vpcId(), vpc.cidrBlock(), vpc.privateSubnetIds(), account).fileSystemId()
                : "";
        Optional<DatabaseAccess> database = Optional.empty();
        if (env.appsDatabase().rds()) {
            AppsDatabase db = new AppsDatabase(this, "apps_database", prefix + "-apps", vpc.vpcId(), vpc.privateSubnetIds(),
                    env.emulated() ? null : eks.clusterSecurityGroupId(), vpc.privateSubnetCidrs(),
                    env.appsDatabase().instanceClass(), env.appsDatabase().multiAz(), env.logRetentionDays(), account,
                    env.emulated());
            // the apps' own logins: secrets without a value and the roles of External Secrets and
            // of the in-cluster job that writes and rotates them (modules/apps, database)
            AppsDatabaseAccess access = new AppsDatabaseAccess(this, "apps_database_access", eks, db, prefix,
                    env.project().region(), env.emulated());
            database = Optional.of(access.access());
            // rotation happens, but not through a Secrets Manager rotation schedule (checkov's test)
            access.appSecrets().forEach(secret -> CheckovSkips.skip(secret, Map.of("CKV2_AWS_57", APP_LOGIN_ROTATION_REASON)));
            output("apps_database_address", db.address(), false);
            // the ARNs name the secrets, they hold no secret value
            output("apps_database_secret_arn", db.masterUserSecretArn(), false);
            output("apps_database_app_secret_arns", access.appSecretArns(), false);
        }
        Optional<ClusterRefs.KarpenterRefs> karpenter = eks.karpenter().map(k -> new ClusterRefs.KarpenterRefs(
                k.controllerRoleArn(), k.nodeRoleName(), k.queueName()));
        refs = new ClusterRefs(eks.clusterName(), eks.endpoint(), eks.certificateAuthority(), eks.oidcProviderArn(),
                eks.oidcIssuer(), mlflow.bucketName(), mlflow.roleArn(), efsId, database, karpenter);
        karpenter.ifPresent(k -> {
            // names and ARNs, for the GitOps tree and for a Helm install by hand; nothing secret
            output("karpenter_controller_role_arn", k.controllerRoleArn(), false);
            output("karpenter_node_role_name", k.nodeRoleName(), false);
            output("karpenter_interruption_queue", k.interruptionQueueName(), false);
        });

        output("cluster_name", eks.clusterName(), false);
        output("cluster_endpoint", eks.endpoint(), false);
        output("cluster_certificate_authority", eks.certificateAuthority(), false);
        output("oidc_issuer_url", eks.oidcIssuerUrl(), false);
        output("oidc_provider_arn", eks.oidcProviderArn(), false);
        output("node_role_arn", eks.nodeRoleArn(), false);
        output("addon_role_arns", eks.addonRoleArns(), false);
        output("mlflow_artifact_bucket", mlflow.bucketName(), false);
        output("mlflow_role_arn", mlflow.roleArn(), false);
        output("update_kubeconfig_command", "aws eks update-kubeconfig --region " + env.project().region()
                + " --name " + eks.clusterName() + (env.emulated() ? "" : " --profile " + env.project().profile()), false);
    }

    /**
     * vpc-cni's configuration values that turn on its network policy agent (EKS user guide, network
     * policies with the Amazon VPC CNI: {@code --configuration-values '{"enableNetworkPolicy": "true"}'}).
     */
    static final String NETWORK_POLICY_CONFIGURATION = "{\"enableNetworkPolicy\":\"true\"}";

    /**
     * The add-ons of an env with GitOps: vpc-cni managed as an EKS add-on with network policy
     * enforcement on. The GitOps tree puts Kubernetes NetworkPolicies in front of Flux and the apps,
     * and nothing enforces them otherwise: amazon-vpc-cni-k8s, network-policy FAQ: "network policies
     * are not enabled by default" (EKS user guide, network policies with the Amazon VPC CNI: the
     * add-on's {@code enableNetworkPolicy}). An env that lists vpc-cni
     * keeps its version (it needs v1.14 or later); otherwise AWS's default version for the cluster's
     * Kubernetes version is used, read at plan time. vpc-cni is a node-level add-on, created with the
     * cluster, before the node group (AddonCatalog.BEFORE_COMPUTE).
     */
    static List<EksProps.Addon> withNetworkPolicy(List<EksProps.Addon> addons) {
        List<EksProps.Addon> out = new ArrayList<>();
        boolean listed = false;
        for (EksProps.Addon a : addons) {
            if (a.name().equals(VPC_CNI)) {
                listed = true;
                out.add(new EksProps.Addon(a.name(), a.version(), a.existingRoleArn(), a.createRoleName(),
                        Optional.of(NETWORK_POLICY_CONFIGURATION)));
            } else {
                out.add(a);
            }
        }
        if (!listed) {
            out.add(new EksProps.Addon(VPC_CNI, EksProps.Addon.DEFAULT, Optional.empty(), Optional.empty(),
                    Optional.of(NETWORK_POLICY_CONFIGURATION)));
        }
        return out;
    }

    static final String VPC_CNI = "vpc-cni";

    /**
     * How an add-on from env.yaml gets its service-account role. A concrete ARN is used as
     * is. An ARN with the account placeholder names the role this stack creates (what the
     * seed's eksctl step did by hand) for add-ons with a known IRSA policy, otherwise the
     * placeholder becomes the deploying account. No ARN: a role named after the cluster is
     * created if the add-on needs one. The config loader has already refused add-ons that
     * need a role but have neither an ARN nor a known policy.
     */
    static EksProps.Addon addon(EnvConfig env, EnvConfig.Addon a, String accountId) {
        boolean irsa = AddonCatalog.irsa(a.name()).isPresent();
        if (a.serviceAccountRoleArn().isPresent()) {
            String arn = a.serviceAccountRoleArn().get();
            if (arn.contains(EnvConfig.ACCOUNT_PLACEHOLDER) && irsa) {
                // the part after role/, with its path if it has one (role/service-role/Name)
                String roleName = arn.substring(arn.indexOf(":role/") + ":role/".length());
                return new EksProps.Addon(a.name(), a.version(), Optional.empty(), Optional.of(roleName));
            }
            return new EksProps.Addon(a.name(), a.version(),
                    Optional.of(arn.replace(EnvConfig.ACCOUNT_PLACEHOLDER, accountId)), Optional.empty());
        }
        return new EksProps.Addon(a.name(), a.version(), Optional.empty(),
                irsa ? Optional.of(env.clusterName() + "-" + a.name()) : Optional.empty());
    }

    /**
     * Why the apps' login secrets carry no Secrets Manager rotation schedule: the in-cluster job
     * rotates them (a schedule would need a rotation Lambda inside the VPC, a second rotator).
     */
    static final String APP_LOGIN_ROTATION_REASON = "rotated every 30 days by the in-cluster apps-database-credentials job"
            + " (alternating logins, docs/gitops.md \"The apps' database logins\"); a Secrets Manager rotation schedule would need"
            + " a rotation Lambda in the VPC rotating the same logins a second way";

    public EksModule eks() {
        return eks;
    }

    /** What the GitOps stacks consume (cross-stack references). */
    public ClusterRefs clusterRefs() {
        return refs;
    }

    private void output(String name, Object value, boolean sensitive) {
        new TerraformOutput(this, name, TerraformOutputConfig.builder().value(value).sensitive(sensitive).build());
    }
}
