package com.bridgeai.infra.modules.gitops;

import java.util.Objects;

/**
 * How the cluster reaches the apps' RDS instance and its credentials, all kept in AWS: the
 * GitOps tree renders the External Secrets objects and the credentials job from it. Values may be
 * cdktf tokens of the eks stack (host, ARNs); the secret names are fixed strings.
 *
 * @param host                   the instance's DNS name
 * @param masterSecretArn        the secret RDS keeps the master credentials in (read only by the
 *                               credentials job, never by the apps)
 * @param airflowSecretName      Secrets Manager secret of Airflow's database login (JSON username/password/...)
 * @param mlflowSecretName       the same for MLflow
 * @param externalSecretsRoleArn IRSA role of the External Secrets controller: reads the two app secrets
 * @param credentialsRoleArn     IRSA role of the credentials job: reads the master secret, writes the app secrets
 */
public record DatabaseAccess(
        String host,
        String masterSecretArn,
        String airflowSecretName,
        String mlflowSecretName,
        String externalSecretsRoleArn,
        String credentialsRoleArn) {
    public DatabaseAccess {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(masterSecretArn, "masterSecretArn");
        Objects.requireNonNull(airflowSecretName, "airflowSecretName");
        Objects.requireNonNull(mlflowSecretName, "mlflowSecretName");
        Objects.requireNonNull(externalSecretsRoleArn, "externalSecretsRoleArn");
        Objects.requireNonNull(credentialsRoleArn, "credentialsRoleArn");
    }
}
