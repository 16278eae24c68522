package com.bridgeai.infra.modules.flux;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.Token;
import com.hashicorp.cdktf.providers.aws.data_aws_secretsmanager_secret_version.DataAwsSecretsmanagerSecretVersion;
import com.hashicorp.cdktf.providers.aws.data_aws_secretsmanager_secret_version.DataAwsSecretsmanagerSecretVersionConfig;
import com.hashicorp.cdktf.providers.kubernetes.namespace_v1.NamespaceV1;
import com.hashicorp.cdktf.providers.kubernetes.provider.KubernetesProvider;
import com.hashicorp.cdktf.providers.kubernetes.secret_v1.SecretV1;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The apps' database credentials as Kubernetes secrets, for Airflow (its metadata connection
 * URL, {@value Airflow#METADATA_SECRET}) and MLflow (user and password,
 * {@value Mlflow#DATABASE_SECRET}).
 *
 * <p>How the password travels: RDS generated it and keeps it in Secrets Manager
 * ({@code manage_master_user_password}); only the secret's ARN crosses from the eks stack. Here
 * {@code data.aws_secretsmanager_secret_version} reads it <em>at apply time</em> (a data source:
 * nothing of it is in the synthesized {@code cdktf.out}), and the kubernetes secrets are written
 * with it. So the password lives in Secrets Manager, in the cluster's (KMS-encrypted) secrets and
 * in this flux stack's Terraform state (the env's encrypted, private state bucket) — nowhere else.
 * When RDS rotates it, the next apply of the flux stack carries the new one into the cluster.
 */
public final class AppsDatabaseSecrets extends Construct {
    /** Fixed logical ids, so other resources can name them in depends_on (see {@link #addresses()}). */
    static final String AIRFLOW_SECRET_ID = "apps_database_airflow_metadata";
    static final String MLFLOW_SECRET_ID = "apps_database_mlflow_database";

    private final List<String> addresses;

    /**
     * @param kubernetes       the flux stack's kubernetes provider
     * @param airflowNamespace the name (token) of the airflow namespace the flux module creates
     * @param host             the RDS instance's address (token of the eks stack)
     * @param secretArn        the master user secret's ARN (token of the eks stack)
     */
    public AppsDatabaseSecrets(Construct scope, String id, KubernetesProvider kubernetes, String airflowNamespace,
            String host, String secretArn) {
        super(scope, id);
        DataAwsSecretsmanagerSecretVersion master = new DataAwsSecretsmanagerSecretVersion(this, "master_user",
                DataAwsSecretsmanagerSecretVersionConfig.builder().secretId(secretArn).build());
        Object credentials = Fn.jsondecode(master.getSecretString());
        String username = Token.asString(Fn.lookupNested(credentials, List.of("username")));
        String password = Token.asString(Fn.lookupNested(credentials, List.of("password")));

        String url = Airflow.metadataConnectionUrl(username, password, host);
        SecretV1 airflow = KubernetesObjects.opaqueSecret(this, "airflow_metadata", kubernetes,
                Airflow.METADATA_SECRET, airflowNamespace,
                Map.of(Airflow.METADATA_SECRET_KEY, url), List.of());
        airflow.overrideLogicalId(AIRFLOW_SECRET_ID);

        // like airflow's namespace: created here because the secret must exist before Flux installs MLflow
        NamespaceV1 mlflowNamespace = KubernetesObjects.namespaceSharedWithFlux(this, "mlflow_namespace", kubernetes,
                Mlflow.NAMESPACE);
        Map<String, String> mlflowData = new LinkedHashMap<>();
        mlflowData.put("username", username);
        mlflowData.put("password", password);
        SecretV1 mlflow = KubernetesObjects.opaqueSecret(this, "mlflow_database", kubernetes,
                Mlflow.DATABASE_SECRET, mlflowNamespace.getMetadata().getName(), mlflowData, List.of());
        mlflow.overrideLogicalId(MLFLOW_SECRET_ID);
        addresses = List.of("kubernetes_secret_v1." + AIRFLOW_SECRET_ID, "kubernetes_secret_v1." + MLFLOW_SECRET_ID);
    }

    /**
     * The two secrets' Terraform addresses: what Flux's sync must wait for. Plain strings because a
     * resource built elsewhere can only get more depends_on entries as text (cdktf 0.19's Java
     * API has no way to turn a construct into a depends_on reference after construction).
     */
    public List<String> addresses() {
        return addresses;
    }
}
