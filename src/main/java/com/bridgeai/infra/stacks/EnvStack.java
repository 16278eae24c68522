package com.bridgeai.infra.stacks;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.modules.aws.kms.AwsAccount;
import com.bridgeai.infra.modules.gitops.Pinned;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.data_aws_partition.DataAwsPartition;
import com.hashicorp.cdktf.DataTerraformRemoteStateS3;
import com.hashicorp.cdktf.DataTerraformRemoteStateS3Config;
import com.hashicorp.cdktf.S3Backend;
import com.hashicorp.cdktf.S3BackendConfig;
import com.hashicorp.cdktf.S3BackendEndpointConfig;
import com.hashicorp.cdktf.TerraformRemoteState;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderConfig;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderDefaultTags;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderEndpoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.constructs.Construct;

/**
 * The part every stack of an environment shares, written once: the S3 backend with
 * DynamoDB locking, and the AWS provider with region/profile and default tags.
 * In the emulated environment ({@code emulator_endpoint}) both talk to the emulator
 * with static test credentials instead of a profile.
 */
public abstract class EnvStack extends TerraformStack {
    /**
     * The hashicorp/aws release the stacks are tested with (the image's provider mirror), the
     * one the 20.1.0 bindings were generated for. The bindings alone would write "~> 5.0";
     * an exact pin keeps what is deployed equal to what was tested.
     */
    @Pinned(name = "hashicorp/aws", renovate = "terraform-provider", source = "https://registry.terraform.io/providers/hashicorp/aws",
            verified = "2026-11-25")
    public static final String AWS_PROVIDER_VERSION = "5.100.0";
    /** Services whose endpoints point at the emulator in the emulated environment. */
    static final List<String> EMULATED_SERVICES = List.of("ec2", "eks", "iam", "sts", "kms", "s3", "dynamodb", "logs", "efs", "rds",
            "secretsmanager", "sqs", "events");

    protected final EnvConfig env;
    protected final StackUnit unit;

    protected EnvStack(Construct scope, EnvConfig env, StackUnit unit) {
        super(scope, unit.stackName(env.name()));
        this.env = env;
        this.unit = unit;
    }

    /**
     * Stores this stack's state in the env's bucket, locked by the env's table, encrypted with the
     * env's state key. {@code kms_key_id} is what makes the objects SSE-KMS: with {@code encrypt =
     * true} alone the S3 backend sends {@code x-amz-server-side-encryption: AES256} on every put
     * (hashicorp/terraform internal/backend/remote-state/s3/client.go), and a header on the request
     * overrides the bucket's default encryption. The alias is accepted by the backend's validation
     * ({@code validateKMSKeyID}: {@code alias/[a-zA-Z0-9/_-]+}) and resolved by KMS in the caller's
     * account, the account of the bucket. Writers need kms:GenerateDataKey, readers kms:Decrypt on
     * the key (the CI plan role gets it, CiStack).
     */
    protected void useRemoteState() {
        S3BackendConfig.Builder config = S3BackendConfig.builder()
                .bucket(env.backend().bucket())
                .key(unit.stateKey(env.name()))
                .region(env.project().region())
                .dynamodbTable(env.backend().lockTable())
                .encrypt(true)
                .kmsKeyId(env.stateKeyAlias());
        if (env.emulated()) {
            // the emulator's S3/DynamoDB/STS/IAM with its static test credentials (no profile)
            String url = env.emulatorEndpoint().orElseThrow();
            config.accessKey("test").secretKey("test")
                    .skipCredentialsValidation(true).skipRegionValidation(true)
                    .skipRequestingAccountId(true).skipMetadataApiCheck(true)
                    .usePathStyle(true)
                    .endpoints(S3BackendEndpointConfig.builder().s3(url).dynamodb(url).sts(url).iam(url).build());
        } else {
            config.profile(env.project().profile());
        }
        new EnvBackend(this, config.build());
    }

    /** The AWS provider of this env; call once per stack. */
    protected AwsProvider awsProvider() {
        AwsProviderConfig.Builder config = AwsProviderConfig.builder()
                .region(env.project().region())
                .defaultTags(List.of(AwsProviderDefaultTags.builder().tags(defaultTags()).build()));
        if (env.emulated()) {
            String url = env.emulatorEndpoint().orElseThrow();
            AwsProviderEndpoints.Builder endpoints = AwsProviderEndpoints.builder()
                    .ec2(url).eks(url).iam(url).sts(url).kms(url).s3(url).dynamodb(url).logs(url).efs(url)
                    .rds(url).secretsmanager(url)
                    .sqs(url).events(url); // Karpenter's interruption queue and its EventBridge rules
            config.accessKey("test").secretKey("test")
                    .skipCredentialsValidation(true).skipMetadataApiCheck("true").skipRegionValidation(true)
                    .s3UsePathStyle(true)
                    .endpoints(List.of(endpoints.build()));
        } else {
            config.profile(env.project().profile());
        }
        AwsProvider provider = new AwsProvider(this, "aws", config.build());
        // cdktf 0.19 writes the bare "aws"; spelled out like the other providers' sources. One
        // override for both keys: each addOverride is a round trip to the jsii kernel
        addOverride("terraform.required_providers.aws",
                new TreeMap<>(Map.of("source", "hashicorp/aws", "version", AWS_PROVIDER_VERSION)));
        return provider;
    }

    /**
     * The partition and account the stack deploys to (data sources, read at plan time) and the
     * env's region: what key policies and ARN patterns are written with. Call once per stack.
     */
    protected static AwsAccount account(Construct stack, EnvConfig env) {
        return new AwsAccount(new DataAwsPartition(stack, "partition").getPartition(),
                new DataAwsCallerIdentity(stack, "caller").getAccountId(), env.project().region());
    }

    /** Tags on every AWS resource of the env (the AWS provider's default_tags). */
    public Map<String, String> defaultTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Project", env.project().project());
        tags.put("Environment", env.project().environment());
        tags.put("Stage", env.project().stage());
        tags.put("ManagedBy", "cdktf");
        return tags;
    }

    /**
     * The S3 backend, plus the matching remote-state reader for cross-stack references:
     * cdktf builds the consumer's terraform_remote_state from this backend, and in the
     * emulated environment it must reach the emulator the same way the backend does.
     */
    private static final class EnvBackend extends S3Backend {
        private final S3BackendConfig config;

        EnvBackend(Construct scope, S3BackendConfig config) {
            super(scope, config);
            this.config = config;
        }

        @Override
        public TerraformRemoteState getRemoteStateDataSource(Construct scope, String name, String fromStack) {
            return new DataTerraformRemoteStateS3(scope, name, DataTerraformRemoteStateS3Config.builder()
                    .bucket(config.getBucket())
                    .key(config.getKey())
                    .region(config.getRegion())
                    .profile(config.getProfile())
                    .encrypt(true)
                    .accessKey(config.getAccessKey())
                    .secretKey(config.getSecretKey())
                    .skipCredentialsValidation(config.getSkipCredentialsValidation())
                    .skipRegionValidation(config.getSkipRegionValidation())
                    .skipRequestingAccountId(config.getSkipRequestingAccountId())
                    .skipMetadataApiCheck(config.getSkipMetadataApiCheck())
                    .usePathStyle(config.getUsePathStyle())
                    .endpoints(config.getEndpoints())
                    .build());
        }
    }
}
