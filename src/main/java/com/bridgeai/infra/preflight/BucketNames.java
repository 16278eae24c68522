package com.bridgeai.infra.preflight;

import com.bridgeai.infra.config.EnvConfig;
import com.bridgeai.infra.config.KeyLines;
import com.bridgeai.infra.modules.apps.mlflow.MlflowArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bucket names the env creates under fixed names: the state bucket ({@code bucket}) and its
 * access-log bucket ({@link EnvConfig.StateBackend#accessLogBucket()}, derived from it). S3 names
 * are global across all accounts: a name someone else holds fails the state stack with
 * BucketAlreadyExists. MLflow's bucket gets a generated name (a prefix plus a unique suffix),
 * so it cannot be taken; only its prefix's length can stop the plan.
 */
public final class BucketNames {
    public static final String CHECK = "bucket-names";

    private BucketNames() {}

    /** HeadBucket's answer for one name: the HTTP status (0: no answer) and, on 200, the bucket's region. */
    public record Head(String bucket, int status, String region, String error) {}

    /**
     * @param heads              the state bucket's and the log bucket's answers
     * @param deployedHere       the env's state stack was applied from this checkout ({@code .state/<env>/})
     * @param mlflowPrefix       the MLflow bucket's name prefix
     */
    public static Finding judge(String where, String region, List<Head> heads, boolean deployedHere, String mlflowPrefix) {
        List<String> blockers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (Head h : heads) {
            switch (h.status()) {
                case 404 -> fine.add(h.bucket() + " free");
                case 200 -> {
                    if (!h.region().isEmpty() && !h.region().equals(region)) {
                        blockers.add(h.bucket() + " is yours already, but in " + h.region() + ", not " + region
                                + " (the state stack creates it in " + region + ")");
                    } else if (deployedHere) {
                        fine.add(h.bucket() + " yours already (a re-run: this checkout's state stack created it)");
                    } else {
                        warnings.add(h.bucket() + " exists and is yours, but this checkout has no state of the env's"
                                + " state stack: fine if it was deployed from elsewhere; otherwise import it (docs/stacks.md"
                                + " \"Adopting an existing bucket/table\") or choose another bucket");
                    }
                }
                case 403 -> blockers.add(h.bucket() + " is taken by another AWS account (HeadBucket: 403 Forbidden)");
                case 301 -> blockers.add(h.bucket() + " exists in another region and is not reachable from here (taken)");
                default -> warnings.add(h.bucket() + ": cannot judge (" + h.error() + ")");
            }
        }
        if (mlflowPrefix.length() > MlflowArtifactStore.MAX_BUCKET_PREFIX) {
            blockers.add("the MLflow bucket's prefix \"" + mlflowPrefix + "\" has " + mlflowPrefix.length()
                    + " characters, the AWS provider accepts " + MlflowArtifactStore.MAX_BUCKET_PREFIX
                    + " (shorten project or environment)");
        } else {
            fine.add(mlflowPrefix + "*: generated, cannot be taken");
        }
        List<String> all = new ArrayList<>(blockers);
        all.addAll(warnings);
        all.addAll(fine);
        String found = String.join("; ", all);
        if (!blockers.isEmpty()) {
            return Finding.blocker(CHECK, where, found + ". Change: another bucket name (the log bucket is its name"
                    + " + \"-logs\"), e.g. with the account id or organisation in it");
        }
        return warnings.isEmpty() ? Finding.ok(CHECK, where, found) : Finding.warn(CHECK, where, found);
    }

    /** HeadBucket's status from a CLI answer: 200 on success, else the HTTP code the CLI reports. */
    static Head head(AwsCli aws, String bucket, Optional<String> account) {
        List<String> args = new ArrayList<>(List.of("s3api", "head-bucket", "--bucket", bucket));
        // with the caller's account as the expected owner, a 200 means this account's bucket, not
        // merely one readable by it
        account.ifPresent(a -> args.addAll(List.of("--expected-bucket-owner", a)));
        AwsCli.Answer answer = aws.call(args.toArray(String[]::new));
        if (answer.ok()) {
            return new Head(bucket, 200, answer.body().path("BucketRegion").asText(""), "");
        }
        int status = switch (answer.errorCode()) {
            case "404", "NoSuchBucket", "NotFound" -> 404;
            case "403", "Forbidden", "AccessDenied" -> 403;
            case "301", "PermanentRedirect" -> 301;
            default -> 0;
        };
        return new Head(bucket, status, "", answer.error());
    }

    public static Finding check(AwsCli aws, EnvConfig env, KeyLines lines, Optional<String> account, Path projectRoot) {
        Path state = projectRoot.resolve(".state").resolve(env.name()).resolve("terraform.tfstate");
        List<Head> heads = List.of(head(aws, env.backend().bucket(), account), head(aws, env.backend().accessLogBucket(), account));
        // EksStack's name prefix for the env's resources
        String mlflowPrefix = MlflowArtifactStore.bucketPrefix(env.project().project() + "-" + env.name());
        return judge(lines.at("bucket"), env.project().region(), heads, Files.isRegularFile(state), mlflowPrefix);
    }
}
