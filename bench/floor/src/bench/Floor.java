package bench;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderConfig;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket.S3BucketConfig;

/**
 * The floor of a Java cdktf synth: one stack, one AWS resource, nothing of the project.
 * What the project synth costs above this is the project's; this much is the JVM, the jsii
 * kernel and the cdktf + provider-aws packages. bench/run compiles it with javac and starts it
 * through bin/synth (same JVM flags, caches and node options as the app), output in
 * BRIDGEAI_OUTDIR. BRIDGEAI_TIMINGS=1 prints the same phase lines as the app.
 */
public final class Floor {
    private static final boolean TIMINGS = "1".equals(System.getenv("BRIDGEAI_TIMINGS"));
    private static final long START_MS = TIMINGS
            ? java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

    public static void main(String[] args) {
        mark("main");
        App app = new App(AppConfig.builder().outdir(System.getenv().getOrDefault("BRIDGEAI_OUTDIR", "cdktf.out")).build());
        mark("app");
        TerraformStack stack = new TerraformStack(app, "floor");
        new AwsProvider(stack, "aws", AwsProviderConfig.builder().region("eu-west-2").build());
        new S3Bucket(stack, "bucket", S3BucketConfig.builder().bucket("bench-floor-bucket").build());
        mark("stack:floor");
        app.synth();
        mark("synth");
    }

    private static void mark(String phase) {
        if (TIMINGS) {
            System.err.println("bridgeai-timing " + phase + " " + (System.currentTimeMillis() - START_MS));
        }
    }
}
