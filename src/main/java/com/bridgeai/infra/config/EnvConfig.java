package com.bridgeai.infra.config;

import com.bridgeai.infra.modules.gitops.Pinned;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One environment, validated: the typed form of {@code env/<name>/env.yaml}.
 * Every record is immutable and only built by {@link EnvConfigLoader} after all checks passed.
 *
 * <p>The default of every optional key is a {@code DEFAULT_*} constant on the record the key
 * belongs to, with the reason for its value; the section readers ({@code *Keys}) use only these,
 * and the README's env.yaml table shows the same values ({@code ReadmeDefaultsTest} compares them).
 */
public record EnvConfig(
        Path file,
        StateBackend backend,
        Project project,
        Network network,
        Cluster cluster,
        Addons addons,
        int logRetentionDays,
        AppsDatabase appsDatabase,
        Optional<GitOps> gitops,
        Optional<String> emulatorEndpoint,
        Optional<Ci> ci,
        List<ConfigWarning> warnings) {
    /** Stands for the deploying account in role ARNs (the seed's notation). */
    public static final String ACCOUNT_PLACEHOLDER = "<aws_account_id>";
    /**
     * {@code log_retention_days}: one year, what audit baselines (CIS, checkov CKV_AWS_338) ask of
     * security logs (flow logs, control-plane logs, S3 access logs all keep this long).
     */
    public static final int DEFAULT_LOG_RETENTION_DAYS = 365;

    public EnvConfig {
        warnings = List.copyOf(warnings);
    }

    /**
     * Keys {@code bucket}, {@code dynamodb_table}: where every stack of the env keeps its state;
     * {@code create_lock_table}: false when another env's state stack already creates the table.
     */
    public record StateBackend(String bucket, String lockTable, boolean createLockTable) {
        /**
         * {@code create_lock_table}: each env's state stack creates its own lock table, as the seed's
         * single env does; only envs that share a table (same name, region, account) opt out.
         */
        public static final boolean DEFAULT_CREATE_LOCK_TABLE = true;
        /** Longest state-bucket name that still takes the {@code -logs} suffix within S3's 63 characters. */
        static final int MAX_LOG_BUCKET_BASE = 63 - "-logs".length();

        /**
         * The bucket that receives the S3 server access logs of this env's buckets (the state
         * bucket's, MLflow's): the state bucket's name + {@code -logs}, the name cut to fit.
         * Derived, not configured, so every stack of the env knows it without a cross-stack read.
         */
        public String accessLogBucket() {
            String base = bucket.length() > MAX_LOG_BUCKET_BASE ? bucket.substring(0, MAX_LOG_BUCKET_BASE) : bucket;
            return base.replaceAll("[.-]+$", "") + "-logs";
        }
    }

    /** Keys {@code project}, {@code environment}, {@code stage}, {@code region}, {@code profile}. */
    public record Project(String project, String environment, String stage, String region, String profile) {}

    /** How many NAT gateways the VPC gets (key {@code nat_gateways}). */
    public enum NatGateways {
        /** one per AZ: an AZ outage does not cut the other AZs' egress (the Cloud Posse default) */
        ONE_PER_AZ,
        /** one for the whole VPC: cheaper, but egress depends on one AZ */
        SINGLE
    }

    /** Keys {@code cidr_block}, {@code availability_zones}, {@code nat_gateways}, {@code flow_logs}. */
    public record Network(String cidrBlock, List<String> availabilityZones, NatGateways natGateways, boolean flowLogs) {
        /**
         * {@code nat_gateways}: one per AZ, the default of Cloud Posse's dynamic-subnets (the seed's
         * VPC module): private subnets keep egress (image pulls, AWS APIs) when another AZ fails.
         */
        public static final NatGateways DEFAULT_NAT_GATEWAYS = NatGateways.ONE_PER_AZ;
        /**
         * {@code flow_logs}: on unless turned off: the record of who talked to what is needed after
         * an incident and cannot be had afterwards (CIS AWS Foundations 1.4 3.9, checkov CKV2_AWS_11).
         */
        public static final boolean DEFAULT_FLOW_LOGS = true;
    }

    /**
     * The GPU capacity's keys: {@code ami_type}, {@code capacity_type}, sizes, {@code instance_types}, ...
     * With {@code gpu_capacity: node_group} the managed node group; with {@code karpenter} the GPU
     * pool (there {@code desired_size} is absent and read as {@code min_size}, which is 0, and the
     * pool is always tainted).
     */
    public record NodeGroup(
            String amiType,
            String capacityType,
            List<String> instanceTypes,
            int minSize,
            int desiredSize,
            int maxSize,
            int diskSizeGib,
            boolean gpuTaint) {
        /**
         * {@code node_disk_size} in GiB: GPU AMIs and CUDA/ML images are large; EKS's own 20 GiB
         * (the Cloud Posse eks-node-group default) fills up after a few image pulls.
         */
        public static final int DEFAULT_DISK_SIZE_GIB = 100;
        /**
         * {@code gpu_taint}: off, as in the seed: its one node group runs everything (Airflow,
         * MLflow, Flux), and pods without the toleration would have nowhere to go.
         */
        public static final boolean DEFAULT_GPU_TAINT = false;
    }

    /** How the cluster gets its GPU capacity (key {@code gpu_capacity}). */
    public enum GpuCapacity {
        /**
         * the seed's one managed node group of GPU instances, sized by min/desired/max_size; nothing
         * autoscales it (no Cluster Autoscaler), so it runs, and is billed, around the clock
         */
        NODE_GROUP,
        /**
         * a small CPU managed node group for the system (kube-system, Flux, Karpenter, Airflow's and
         * MLflow's servers) and Karpenter, which starts GPU nodes when a pod asks for a GPU and
         * removes them when they are empty
         */
        KARPENTER
    }

    /**
     * The keys of {@code gpu_capacity: karpenter}: the system node group ({@code system_instance_types},
     * {@code system_node_count}) and the Karpenter GPU pool's own settings ({@code gpu_ami_version},
     * {@code gpu_consolidate_after}); the pool's instance types, capacity type, disk and limit come
     * from the seed's keys ({@code instance_types}, {@code capacity_type}, {@code node_disk_size},
     * {@code max_size}).
     *
     * @param systemInstanceTypes CPU instance types of the system node group
     * @param systemNodeCount     its fixed size (min = desired = max: nothing scales it)
     * @param amiFamily           the EC2NodeClass alias family: {@code al2023} or {@code bottlerocket}
     * @param amiVersion          the pinned alias version, e.g. {@code v20260714} (never {@code latest})
     * @param consolidateAfter    how long a GPU node stays empty before Karpenter removes it ({@code 10m}, {@code 1h30m})
     * @param gpuLimit            the pool's {@code limits} in {@code nvidia.com/gpu}: {@code max_size} nodes
     *                            of the pool's largest type
     * @param architecture        {@code amd64} or {@code arm64}: the node image's and the instance types'
     */
    public record Karpenter(List<String> systemInstanceTypes, int systemNodeCount, String amiFamily, String amiVersion,
            String consolidateAfter, int gpuLimit, String architecture) {
        /**
         * {@code system_instance_types}: a current general-purpose type (2 vCPU, 8 GiB, up to 29 pods
         * with the VPC CNI) that every region of the envs offers; two of them hold the system pods
         * with room for Karpenter's two replicas on different nodes.
         */
        public static final List<String> DEFAULT_SYSTEM_INSTANCE_TYPES = List.of("m7i.large");
        /** {@code system_node_count}: two, one per AZ of a two-AZ env, so one node's loss leaves the system running. */
        public static final int DEFAULT_SYSTEM_NODE_COUNT = 2;
        /**
         * {@code gpu_consolidate_after}: ten minutes: long enough for the next task of a DAG run to
         * reuse the node (no second boot and image pull), short enough that an idle GPU costs little.
         */
        public static final String DEFAULT_CONSOLIDATE_AFTER = "10m";
        /**
         * {@code gpu_ami_version} for AL2023 NVIDIA: EKS AMI release v20260714 (awslabs/amazon-eks-ami
         * CHANGELOG, the newest release with notes in the reachable mirror: AL2023_x86_64_NVIDIA and
         * AL2023_ARM_64_NVIDIA for Kubernetes 1.30-1.36). Bottlerocket has no verified default here.
         */
        @Pinned(name = "awslabs/amazon-eks-ami", renovate = "github-releases", source = "https://github.com/awslabs/amazon-eks-ami/releases",
                verified = "2026-12-05")
        public static final String DEFAULT_AL2023_AMI_VERSION = "v20260714";

        public Karpenter {
            systemInstanceTypes = List.copyOf(systemInstanceTypes);
        }

        /** The system node group's EKS amiType: AL2023 standard, for the system types' architecture. */
        public String systemAmiType() {
            return architecture(systemInstanceTypes.get(0)).equals("arm64") ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
        }

        /**
         * {@code arm64} for Graviton types (a {@code g} after the generation: m7g, t4g, c6gn), else
         * {@code amd64}.
         */
        public static String architecture(String instanceType) {
            return instanceType.matches("[a-z]+[0-9]+g[a-z-]*\\..*") ? "arm64" : "amd64";
        }

        /** The EC2NodeClass {@code amiSelectorTerms} alias, e.g. {@code al2023@v20260714}. */
        public String amiAlias() {
            return amiFamily + "@" + amiVersion;
        }
    }

    /** The EKS control plane: version, API endpoint access, control-plane logs, plus its node group. */
    public record Cluster(
            String kubernetesVersion,
            String supportType,
            boolean endpointPublicAccess,
            boolean endpointPrivateAccess,
            List<String> publicAccessCidrs,
            boolean publicAccessOpenToWorld,
            List<String> logTypes,
            NodeGroup nodeGroup,
            Optional<Karpenter> karpenter) {
        /**
         * {@code gpu_capacity}: {@code node_group}, the seed's meaning of its keys (one managed GPU node
         * group); {@code karpenter} is opted into per env (env/prod).
         */
        public static final GpuCapacity DEFAULT_GPU_CAPACITY = GpuCapacity.NODE_GROUP;

        /** How GPU capacity is provided: {@link GpuCapacity#KARPENTER} when the Karpenter keys are present. */
        public GpuCapacity gpuCapacity() {
            return karpenter.isPresent() ? GpuCapacity.KARPENTER : GpuCapacity.NODE_GROUP;
        }

        /**
         * {@code support_type}: STANDARD, so a cluster never moves to the extended-support price
         * (6 x standard per cluster hour) on its own: EKS upgrades it when its version's standard
         * support ends. The EKS API's own default is EXTENDED (UpgradePolicyRequest: "The default
         * value is EXTENDED"), which is why the stack always writes the policy.
         */
        public static final String DEFAULT_SUPPORT_TYPE = "STANDARD";
        /**
         * {@code public_access_open_to_world}: off: a real-AWS env whose public endpoint admits
         * 0.0.0.0/0 is refused unless its file says this on purpose.
         */
        public static final boolean DEFAULT_PUBLIC_ACCESS_OPEN_TO_WORLD = false;
        /**
         * {@code endpoint_public_access}: on, as EKS's own default: the seed's workflow runs
         * {@code aws eks update-kubeconfig} and kubectl from a workstation, and the flux/helm
         * stacks reach the API from the deploying machine.
         */
        public static final boolean DEFAULT_ENDPOINT_PUBLIC_ACCESS = true;
        /**
         * {@code endpoint_private_access}: on (EKS's default is off): nodes and pods reach the API
         * inside the VPC instead of through the NAT gateways and the internet.
         */
        public static final boolean DEFAULT_ENDPOINT_PRIVATE_ACCESS = true;
        /**
         * {@code public_access_cidrs}: EKS's own default, open to all: the ranges a user deploys from
         * cannot be known here. A real-AWS env that keeps it is refused unless it also sets
         * {@code public_access_open_to_world: true} (and then gets a synth warning naming the key).
         */
        public static final List<String> DEFAULT_PUBLIC_ACCESS_CIDRS = List.of("0.0.0.0/0");
        /**
         * {@code cluster_log_types}: all five EKS control-plane log types: scheduler and
         * controller-manager logs explain pending GPU pods and scaling decisions (cost: CloudWatch
         * ingestion; narrow the list to save it).
         */
        public static final List<String> DEFAULT_LOG_TYPES =
                List.of("api", "audit", "authenticator", "controllerManager", "scheduler");
    }

    /**
     * One entry of {@code addons}; the role ARN may hold the {@code <aws_account_id>} placeholder.
     * {@code version} is a pinned {@code vX.Y.Z-eksbuild.N}, or {@value #ADDON_DEFAULT} /
     * {@value #ADDON_LATEST}: resolved at plan time for the cluster's Kubernetes version.
     */
    public record Addon(String name, String version, Optional<String> serviceAccountRoleArn) {}

    /** addon_version: the version AWS marks as default for the cluster's Kubernetes version. */
    public static final String ADDON_DEFAULT = "default";
    /** addon_version: the newest version AWS offers for the cluster's Kubernetes version. */
    public static final String ADDON_LATEST = "latest";

    /** Where Airflow's and MLflow's metadata live (key {@code apps_database}). */
    public enum AppsDatabaseKind {
        /** one Amazon RDS for PostgreSQL instance of the env (security updates by AWS) */
        RDS,
        /** the charts' bundled PostgreSQL (Bitnami legacy images, no security updates): demo only */
        BUNDLED
    }

    /** Keys {@code apps_database}, {@code db_instance_class} and {@code db_multi_az} (the latter two only with rds). */
    public record AppsDatabase(AppsDatabaseKind kind, String instanceClass, boolean multiAz) {
        /**
         * {@code apps_database}: RDS, the one choice with security updates (the charts' bundled
         * PostgreSQL uses Bitnami legacy images that get none).
         */
        public static final AppsDatabaseKind DEFAULT_KIND = AppsDatabaseKind.RDS;
        /** A small burstable class: the two apps' metadata is a few hundred MB and light load. */
        public static final String DEFAULT_INSTANCE_CLASS = "db.t4g.small";
        /**
         * A standby in a second AZ: Airflow's scheduler and MLflow stop without their metadata, and
         * a standby of the default class costs a fraction of one GPU node.
         */
        public static final boolean DEFAULT_MULTI_AZ = true;

        public boolean rds() {
            return kind == AppsDatabaseKind.RDS;
        }
    }

    /** Keys {@code enable_addons} (required) and {@code addons}. */
    public record Addons(boolean enabled, List<Addon> list) {
        /** {@code addons}: none when the key is absent ({@code enable_addons: true} then is an error). */
        public static final List<Addon> DEFAULT_LIST = List.of();
    }

    /**
     * Keys {@code github_owner}, {@code gitops_*}, {@code flux_*}: the GitHub repository Flux
     * syncs this env's cluster from. Present only when {@code github_owner} is set.
     *
     * @param owner            GitHub organisation or user that owns the repository
     * @param repository       repository name (default {@code <project>-<environment>-gitops})
     * @param branch           branch Flux follows and Terraform commits to (default {@code main})
     * @param visibility       {@code private} (default), {@code internal} or {@code public}
     * @param createRepository true: Terraform creates the repository; false: it must exist
     * @param fluxPath         folder of this cluster's Flux Kustomizations (default {@code clusters/<environment>})
     * @param imageAutomation  true: Flux's deploy key may push (image update automation); default read-only
     */
    public record GitOps(
            String owner,
            String repository,
            String branch,
            String visibility,
            boolean createRepository,
            String fluxPath,
            boolean imageAutomation) {
        /** {@code gitops_branch}: GitHub's default branch name for new repositories. */
        public static final String DEFAULT_BRANCH = "main";
        /** {@code gitops_visibility}: the tree names the env's buckets, roles and hosts: not for everyone. */
        public static final String DEFAULT_VISIBILITY = "private";
        /**
         * {@code gitops_create_repository}: Terraform creates the repository, so a new env needs no
         * manual GitHub step (the seed already asks for org admin rights for its Terraform to bootstrap Flux).
         */
        public static final boolean DEFAULT_CREATE_REPOSITORY = true;
        /**
         * {@code flux_image_automation}: off: Flux's deploy key stays read-only, so a compromised
         * cluster cannot write to the repository it is deployed from.
         */
        public static final boolean DEFAULT_IMAGE_AUTOMATION = false;

        /** {@code gitops_repository}: one repository per env, named like the env's other resources. */
        public static String defaultRepository(String project, String environment) {
            return project + "-" + environment + "-gitops";
        }

        /** {@code flux_path}: the layout {@code flux bootstrap} uses ({@code clusters/<name>}). */
        public static String defaultFluxPath(String environment) {
            return "clusters/" + environment;
        }
    }

    /**
     * Keys {@code ci_*}: the GitHub Actions pipeline of this env (the {@code <env>-ci} stack: GitHub's
     * OIDC provider and the plan/apply roles). Present only when {@code ci_github_repository} is set.
     *
     * @param repository         the repository as GitHub's OIDC {@code sub} claim spells it: {@code owner/name},
     *                           or the immutable form {@code owner@<org id>/name@<repo id>}
     * @param branch             the default branch: pushes to it apply, the scheduled drift check runs on it
     * @param githubEnvironment  the GitHub environment the apply job runs in (its approval gate); default the env name
     * @param awsAccountId       the 12-digit account the env deploys to (the workflows build the role ARNs from it)
     * @param createOidcProvider false: another env in the account creates GitHub's OIDC provider (one per account)
     * @param reviewers          the required reviewers of the GitHub environment, {@code @login} or {@code @org/team}
     * @param promoteAfter       the env whose apply must succeed first in the same deploy run (promotion)
     * @param runnerLabels       the runs-on labels of the env's plan, apply and drift jobs
     */
    public record Ci(String repository, String branch, String githubEnvironment, String awsAccountId,
            boolean createOidcProvider, List<String> reviewers, Optional<String> promoteAfter,
            List<String> runnerLabels) {
        /**
         * The GitHub environment a pull request's plan job runs in: the same reviewers as the apply's,
         * so a pull request's code gets the plan role (state, the cluster's read access) and the
         * GitOps token only after someone other than its author has looked at it.
         */
        public String planEnvironment() {
            return githubEnvironment + "-plan";
        }

        /** {@code ci_runner_labels}: GitHub's hosted Ubuntu 24.04 runner, as the workflows' other jobs. */
        public static final List<String> DEFAULT_RUNNER_LABELS = List.of("ubuntu-24.04");

        public Ci {
            reviewers = List.copyOf(reviewers);
            runnerLabels = List.copyOf(runnerLabels);
        }

        /** The repository's owner without an immutable id: {@code owner@123/name@456} → {@code owner}. */
        public static String owner(String repository) {
            return repository.substring(0, repository.indexOf('/')).replaceAll("@\\d+$", "");
        }

        /** The repository's name without an immutable id. */
        public static String name(String repository) {
            return repository.substring(repository.indexOf('/') + 1).replaceAll("@\\d+$", "");
        }

        /** {@code ci_branch}: GitHub's default branch name for new repositories. */
        public static final String DEFAULT_BRANCH = "main";
        /**
         * {@code ci_create_oidc_provider}: the ci stack creates GitHub's OIDC provider, as the first
         * (often only) env of an account must; the others of that account opt out.
         */
        public static final boolean DEFAULT_CREATE_OIDC_PROVIDER = true;

        /** {@code ci_github_environment}: the env's own name, so each env has its own approval gate. */
        public static String defaultGithubEnvironment(String environment) {
            return environment;
        }
    }

    /** The environment's name: the folder name, equal to the {@code environment} key. */
    public String name() {
        return project.environment();
    }

    /** {@code <project>-<environment>-cluster}, e.g. {@code mlops-test-cluster} (the seed's name). */
    public String clusterName() {
        return project.project() + "-" + project.environment() + "-cluster";
    }

    /**
     * The alias of the customer KMS key the env's Terraform state objects are encrypted with,
     * {@code alias/<project>-<environment>-tfstate}: the state stack creates the key, and every
     * stack's S3 backend names it as {@code kms_key_id}. Derived from the names, not read from the
     * state stack, because a backend is configured before any stack can be read.
     */
    public String stateKeyAlias() {
        return "alias/" + project.project() + "-" + project.environment() + "-tfstate";
    }

    /** The CI role of this kind ({@code plan} or {@code apply}): {@code <project>-<environment>-ci-<kind>}. */
    public String ciRoleName(String kind) {
        return project.project() + "-" + project.environment() + "-ci-" + kind;
    }

    /**
     * The apply role's permissions boundary, {@code <project>-<environment>-ci-apply-boundary}: the ci
     * stack creates it, and every IAM role of the env's other stacks carries it (the boundary refuses
     * the apply role to create a role without it).
     */
    public String ciBoundaryName() {
        return project.project() + "-" + project.environment() + "-ci-apply-boundary";
    }

    /** The KMS key the deploy workflow's saved plans are encrypted with between plan and apply (bin/ci-plans). */
    public String ciPlansKeyAlias() {
        return "alias/" + project.project() + "-" + project.environment() + "-ci-plans";
    }

    /** {@link #ciBoundaryName()}'s ARN in the env's CI account; only for envs with CI. */
    public String ciBoundaryArn() {
        return "arn:aws:iam::" + ci().orElseThrow().awsAccountId() + ":policy/" + ciBoundaryName();
    }

    /** True for the emulated environment: the AWS provider and backend talk to a local emulator. */
    public boolean emulated() {
        return emulatorEndpoint.isPresent();
    }
}
