package bench;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformOutputConfig;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningAConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;

/**
 * The protocol floor of an environment: what cdktf's Java route costs for an env of the
 * project's shape when every element is as cheap as it can be. Per env (PF_ENVS of them, default
 * 1): 5 stacks, each with its provider, 18 S3 buckets, 18 versioning resources that read their
 * bucket's id (a property get each) and one output: 190 elements and 90 gets, where env `test`
 * has 189 elements (126 resources, 18 data sources, 37 outputs, 8 providers) and ~107 gets.
 * No policies, no tokens beyond the ids, no GitOps files, no env file. bench/run compiles it
 * twice (against the old floor's jars and against the project's) and measures its marginal
 * cost per env in the same interleaved pairs as the project's: the project's own cost per env
 * can only go below the target if this does.
 */
public final class ProtocolFloor {
    static final int STACKS = 5;
    static final int PAIRS_PER_STACK = 18;

    public static void main(String[] args) {
        int envs = Integer.parseInt(System.getenv().getOrDefault("PF_ENVS", "1"));
        App app = new App(AppConfig.builder().outdir(System.getenv().getOrDefault("BRIDGEAI_OUTDIR", "cdktf.out")).build());
        for (int e = 1; e <= envs; e++) {
            for (int s = 1; s <= STACKS; s++) {
                TerraformStack stack = new TerraformStack(app, "e" + e + "-s" + s);
                new AwsProvider(stack, "aws", AwsProviderConfig.builder().region("eu-west-2").build());
                String lastArn = null;
                for (int i = 1; i <= PAIRS_PER_STACK; i++) {
                    S3Bucket bucket = new S3Bucket(stack, "bucket" + i, S3BucketConfig.builder()
                            .bucket("bench-e" + e + "-s" + s + "-" + i).build());
                    new S3BucketVersioningA(stack, "versioning" + i, S3BucketVersioningAConfig.builder()
                            .bucket(bucket.getId())
                            .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                            .build());
                    if (i == PAIRS_PER_STACK) {
                        lastArn = bucket.getArn();
                    }
                }
                new TerraformOutput(stack, "last_bucket_arn", TerraformOutputConfig.builder().value(lastArn).build());
            }
        }
        app.synth();
    }
}
