package com.bridgeai.infra.modules.apps.database;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.aws.eks.AppsDatabase;
import com.bridgeai.infra.modules.aws.eks.EksModule;
import com.bridgeai.infra.modules.aws.eks.IrsaRole;
import com.bridgeai.infra.modules.gitops.DatabaseAccess;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentConfig;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicyConfig;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecret;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecretConfig;
import java.util.ArrayList;
import java.util.List;
import software.constructs.Construct;

/**
 * The AWS side of the apps' database credentials, which live and rotate in AWS and the cluster,
 * never in Terraform:
 * <ul>
 *   <li>one Secrets Manager secret per app ({@code <instance>/airflow}, {@code <instance>/mlflow}),
 *       encrypted with the instance's credentials key, created <em>without a value</em>: the
 *       in-cluster credentials job ({@link DatabaseCredentials}) generates each password,
 *       sets it on the app's own PostgreSQL role and writes it here, so no password is ever in
 *       Terraform's configuration, plan or state;</li>
 *   <li>the External Secrets controller's IRSA role: read exactly these two secrets (and decrypt
 *       them with their key, only through Secrets Manager), nothing else;</li>
 *   <li>the credentials job's IRSA role: read the master secret RDS keeps, read and write the two
 *       app secrets, generate random passwords; decrypt/encrypt with the key through Secrets Manager.</li>
 * </ul>
 * Neither role can list, create or delete secrets, or touch any other secret of the account.
 */
public final class AppsDatabaseAccess extends Construct {
    /** The apps with a login of their own, in the order their secrets are created. */
    public static final List<String> APPS = List.of(Airflow.NAMESPACE, Mlflow.NAMESPACE);
    /** Days a deleted app secret stays restorable (Secrets Manager's range is 7-30). */
    static final int RECOVERY_WINDOW_DAYS = 7;

    private final DatabaseAccess access;
    private final List<String> appSecretArns = new ArrayList<>();
    private final List<SecretsmanagerSecret> appSecrets = new ArrayList<>();

    /**
     * @param db       the env's RDS instance (its master secret and credentials key)
     * @param region   where Secrets Manager is called (the kms:ViaService condition)
     * @param emulated against the emulator: secrets deleted without a recovery window, so the round
     *                 trip's destroy leaves nothing behind
     */
    public AppsDatabaseAccess(Construct scope, String id, EksModule cluster, AppsDatabase db, String namePrefix,
            String region, boolean emulated) {
        super(scope, id);
        String keyArn = db.credentialsKeyArn();
        String masterArn = db.masterUserSecretArn();
        for (String app : APPS) {
            SecretsmanagerSecret secret = new SecretsmanagerSecret(this, "secret_" + app, SecretsmanagerSecretConfig.builder()
                    .name(AppsDatabase.appSecretName(db.identifier(), app))
                    .description(app + "'s login to its own database on " + db.identifier()
                            + " (written and rotated by the apps-database-credentials job in the cluster)")
                    .kmsKeyId(keyArn)
                    .recoveryWindowInDays(emulated ? 0 : RECOVERY_WINDOW_DAYS)
                    .build());
            appSecrets.add(secret);
            appSecretArns.add(secret.getArn());
        }
        String viaSecretsManager = "secretsmanager." + region + ".amazonaws.com";

        IrsaRole externalSecrets = new IrsaRole(this, "external_secrets_role", namePrefix + "-external-secrets",
                cluster.oidcProviderArn(), cluster.oidcIssuer(), ExternalSecretsOperator.NAMESPACE,
                ExternalSecretsOperator.SERVICE_ACCOUNT);
        new IamRolePolicy(this, "external_secrets_policy", IamRolePolicyConfig.builder()
                .name("read-apps-database-secrets")
                .role(externalSecrets.role().getId())
                .policy(document("external_secrets_document", List.of(
                        statement("ReadAppLogins", List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"),
                                List.copyOf(appSecretArns), null),
                        statement("DecryptThroughSecretsManager", List.of("kms:Decrypt"), List.of(keyArn),
                                viaSecretsManager))))
                .build());

        IrsaRole job = new IrsaRole(this, "credentials_role", namePrefix + "-apps-database-credentials",
                cluster.oidcProviderArn(), cluster.oidcIssuer(), DatabaseCredentials.NAMESPACE,
                DatabaseCredentials.SERVICE_ACCOUNT);
        List<String> readable = new ArrayList<>(appSecretArns);
        readable.add(0, masterArn);
        new IamRolePolicy(this, "credentials_policy", IamRolePolicyConfig.builder()
                .name("manage-apps-database-logins")
                .role(job.role().getId())
                .policy(document("credentials_document", List.of(
                        statement("ReadMasterAndAppLogins",
                                List.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"), readable, null),
                        statement("WriteAppLogins", List.of("secretsmanager:PutSecretValue"), List.copyOf(appSecretArns), null),
                        // GetRandomPassword has no resource: IAM only accepts "*" for it
                        statement("GeneratePasswords", List.of("secretsmanager:GetRandomPassword"), List.of("*"), null),
                        statement("UseKeyThroughSecretsManager", List.of("kms:Decrypt", "kms:GenerateDataKey"),
                                List.of(keyArn), viaSecretsManager))))
                .build());

        access = new DatabaseAccess(db.address(), masterArn,
                AppsDatabase.appSecretName(db.identifier(), Airflow.NAMESPACE),
                AppsDatabase.appSecretName(db.identifier(), Mlflow.NAMESPACE),
                externalSecrets.arn(), job.arn());
    }

    /** A policy document data source: structured in the synthesized JSON, so tests can match it exactly. */
    private String document(String id, List<DataAwsIamPolicyDocumentStatement> statements) {
        return new DataAwsIamPolicyDocument(this, id, DataAwsIamPolicyDocumentConfig.builder().statement(statements).build())
                .getJson();
    }

    private static DataAwsIamPolicyDocumentStatement statement(String sid, List<String> actions, List<String> resources,
            String viaService) {
        DataAwsIamPolicyDocumentStatement.Builder s = DataAwsIamPolicyDocumentStatement.builder()
                .sid(sid).effect("Allow").actions(actions).resources(resources);
        if (viaService != null) {
            s.condition(List.of(DataAwsIamPolicyDocumentStatementCondition.builder()
                    .test("StringEquals").variable("kms:ViaService").values(List.of(viaService)).build()));
        }
        return s.build();
    }

    /** What the GitOps tree needs (host, ARNs, secret names, role ARNs). */
    public DatabaseAccess access() {
        return access;
    }

    /** The two app secrets, in {@link #APPS} order (the stack waives checkov's rotation check on them). */
    public List<SecretsmanagerSecret> appSecrets() {
        return List.copyOf(appSecrets);
    }

    /** The two app secrets' ARNs (tokens), in {@link #APPS} order. */
    public List<String> appSecretArns() {
        return List.copyOf(appSecretArns);
    }
}
