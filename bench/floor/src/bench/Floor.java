package bench;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;

/**
 * The floor of a cdktf Java synth: one stack, one AWS resource, nothing of ours. Whatever
 * the project synth costs above this is ours to cut; this much is the JVM + jsii bridge +
 * the cdktf and provider-aws assemblies. Output dir: CDKTF_OUTDIR or BENCH_OUTDIR.
 */
public final class Floor {
    public static void main(String[] args) {
        String outdir = System.getenv().getOrDefault("BENCH_OUTDIR", "cdktf.out");
        App app = new App(com.hashicorp.cdktf.AppConfig.builder().outdir(outdir).build());
        TerraformStack stack = new TerraformStack(app, "floor");
        new AwsProvider(stack, "aws", AwsProviderConfig.builder().region("eu-west-2").build());
        new S3Bucket(stack, "bucket", S3BucketConfig.builder().bucket("bench-floor-bucket").build());
        app.synth();
    }
}
