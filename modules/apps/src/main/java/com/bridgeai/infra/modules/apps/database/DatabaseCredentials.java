package com.bridgeai.infra.modules.apps.database;

import static com.bridgeai.infra.modules.apps.HelmValues.resources;
import static com.bridgeai.infra.modules.gitops.GitOpsYaml.map;

import com.bridgeai.infra.modules.apps.HelmValues;
import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.aws.eks.AppsDatabase;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.DatabaseAccess;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests;
import com.bridgeai.infra.modules.gitops.Manifests.KubernetesObject;
import com.bridgeai.infra.modules.gitops.Manifests.Manifest;
import com.bridgeai.infra.modules.gitops.Manifests.ObjectMeta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster side of the apps' database credentials (with the env's RDS instance), rendered into
 * the GitOps tree's {@code apps/database/} folder:
 * <ol>
 *   <li><b>The credentials job</b> ({@value #SCRIPT}, run by a CronJob every hour and once by a
 *       Job on install, as service account {@value #SERVICE_ACCOUNT} with its IRSA role). It logs
 *       in with the master credentials it reads from Secrets Manager at each run (so RDS's own
 *       7-day rotation of the master password never matters to it) and, idempotently, for each
 *       app: creates the login roles {@code <app>} and {@code <app>_clone} (the clone a member of
 *       the app's role and acting as it, so whatever either creates belongs to {@code <app>}),
 *       creates the database {@code <app>} owned by {@code <app>} with CONNECT revoked from
 *       PUBLIC, hands over objects the master user still owns there (envs deployed before this
 *       change), and makes sure the app's secret holds a login that works. Every
 *       {@value #ROTATION_DAYS} days it <em>rotates</em>: a new password (Secrets Manager's
 *       GetRandomPassword) is set on the login the apps are <em>not</em> using, checked by logging
 *       in, and only then written to the secret — the alternating-users strategy of AWS's own
 *       rotation functions, so the login running pods hold stays valid until the next rotation.
 *       Passwords are sent to PostgreSQL as SCRAM-SHA-256 verifiers computed in the job, so not
 *       even the parameter group's DDL logging records one; the job never prints one.</li>
 *   <li><b>The ClusterSecretStore</b> {@value #STORE}: Secrets Manager through the External
 *       Secrets controller's IRSA role, usable from the airflow and mlflow namespaces only.</li>
 *   <li><b>An ExternalSecret per app</b>, refreshed every {@value #REFRESH_INTERVAL}: Airflow's
 *       metadata connection URL rendered by the template with user and password URL-encoded;
 *       MLflow's user and password. The secrets carry {@value #RELOAD_LABEL}, so {@link Reloader}
 *       rolls the apps' workloads when a rotation changes them.</li>
 * </ol>
 * Rotating by hand: {@code kubectl -n apps-database create job --from=cronjob/}{@value #ROTATE_NOW}
 * {@code rotate-$(date +%s)} (a suspended CronJob with the same pod and FORCE_ROTATION=true; it
 * refuses a login younger than {@value #MIN_AGE_MINUTES} minutes, so that two rotations in a row
 * cannot invalidate the login pods still hold).
 */
public final class DatabaseCredentials {
    public static final String NAMESPACE = "apps-database";
    public static final String SERVICE_ACCOUNT = "apps-database-credentials";
    /** The job's script, a resource next to this class (Python: the image is MLflow's, which has boto3 and psycopg2). */
    public static final String SCRIPT = "apps_database_credentials.py";
    public static final String STORE = "apps-database";
    public static final String REFRESH_INTERVAL = "5m";
    public static final String RELOAD_LABEL = "bridgeai.io/reload-on-change";
    /** The reconciling CronJob (hourly) and the install-time Job share this name's pod. */
    public static final String RECONCILE = "apps-database-credentials";
    /** The suspended CronJob a person starts to rotate now. */
    public static final String ROTATE_NOW = "apps-database-rotate-now";
    /** How old a login gets before the hourly run rotates it. */
    public static final int ROTATION_DAYS = 30;
    /** A forced rotation waits this long after the previous one (ESO refresh + Reloader's rollout fit well inside). */
    public static final int MIN_AGE_MINUTES = 60;

    private DatabaseCredentials() {}

    /** Every object of {@code apps/database/}, in file order. */
    public static List<Manifest> manifests(GitOpsSpec spec) {
        DatabaseAccess db = spec.appsDatabase();
        List<Manifest> out = new ArrayList<>();
        out.add(new KubernetesObject("v1", "ServiceAccount",
                ObjectMeta.named(SERVICE_ACCOUNT, NAMESPACE).withAnnotations(Map.of("eks.amazonaws.com/role-arn", db.credentialsRoleArn())),
                map("automountServiceAccountToken", true)));
        out.add(new KubernetesObject("v1", "ConfigMap", ObjectMeta.named(RECONCILE, NAMESPACE),
                map("data", map(SCRIPT, script()))));
        out.add(new KubernetesObject("batch/v1", "CronJob", ObjectMeta.named(RECONCILE, NAMESPACE),
                map("spec", map(
                        "schedule", "17 * * * *",
                        "concurrencyPolicy", "Forbid",
                        "startingDeadlineSeconds", 600,
                        "successfulJobsHistoryLimit", 3,
                        "failedJobsHistoryLimit", 3,
                        "jobTemplate", map("spec", jobSpec(spec, false))))));
        out.add(new KubernetesObject("batch/v1", "CronJob", ObjectMeta.named(ROTATE_NOW, NAMESPACE),
                map("spec", map(
                        "schedule", "0 0 1 1 *",
                        "suspend", true,
                        "concurrencyPolicy", "Forbid",
                        "jobTemplate", map("spec", jobSpec(spec, true))))));
        out.add(new KubernetesObject("batch/v1", "Job",
                ObjectMeta.named(RECONCILE + "-install", NAMESPACE).withAnnotations(Manifests.FORCE_RECREATE), // its pod template is immutable
                map("spec", jobSpec(spec, false))));
        out.add(new KubernetesObject("external-secrets.io/v1", "ClusterSecretStore", ObjectMeta.named(STORE),
                map("spec", map(
                        "provider", map("aws", map("service", "SecretsManager", "region", spec.region())),
                        "conditions", List.of(map("namespaces", List.of(Airflow.NAMESPACE, Mlflow.NAMESPACE)))))));
        out.add(externalSecret(Airflow.METADATA_SECRET, Airflow.NAMESPACE, db.airflowSecretName(),
                map(Airflow.METADATA_SECRET_KEY, AIRFLOW_CONNECTION_TEMPLATE)));
        out.add(externalSecret(Mlflow.DATABASE_SECRET, Mlflow.NAMESPACE, db.mlflowSecretName(),
                map("username", "{{ .username }}", "password", "{{ .password }}")));
        return out;
    }

    /**
     * Airflow's metadata URL as the ExternalSecret's template renders it from the login's JSON
     * (the job writes host, port and dbname next to username and password): user and password
     * URL-encoded ({@code urlquery}), TLS required (rds.force_ssl).
     */
    public static final String AIRFLOW_CONNECTION_TEMPLATE = "postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}"
            + "@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require";
    /** The properties of a login's JSON the ExternalSecrets copy. */
    static final List<String> LOGIN_PROPERTIES = List.of("username", "password", "host", "port", "dbname");

    private static Manifest externalSecret(String name, String namespace, String remoteKey, Map<String, Object> template) {
        return new KubernetesObject("external-secrets.io/v1", "ExternalSecret", ObjectMeta.named(name, namespace),
                map("spec", map(
                        "refreshInterval", REFRESH_INTERVAL,
                        "secretStoreRef", map("kind", "ClusterSecretStore", "name", STORE),
                        "target", map(
                                "name", name,
                                "creationPolicy", "Owner",
                                // a secret gone from Secrets Manager must not take the apps' login with it
                                "deletionPolicy", "Retain",
                                "template", map(
                                        "engineVersion", "v2",
                                        "metadata", map("labels", map(RELOAD_LABEL, "true")),
                                        "data", template)),
                        "data", LOGIN_PROPERTIES.stream()
                                .map(p -> (Object) map("secretKey", p, "remoteRef", map("key", remoteKey, "property", p)))
                                .toList())));
    }

    /** The pod both CronJobs and the install Job run: the script from the ConfigMap, locked down. */
    static Map<String, Object> jobSpec(GitOpsSpec spec, boolean forceRotation) {
        DatabaseAccess db = spec.appsDatabase();
        List<Object> env = List.of(
                map("name", "DB_HOST", "value", db.host()),
                map("name", "DB_PORT", "value", String.valueOf(AppsDatabase.PORT)),
                map("name", "MASTER_SECRET_ARN", "value", db.masterSecretArn()),
                // app=secret name pairs: the script reads them with str.split (no JSON in a YAML string)
                map("name", "APP_SECRETS", "value", Airflow.NAMESPACE + "=" + db.airflowSecretName() + ","
                        + Mlflow.NAMESPACE + "=" + db.mlflowSecretName()),
                map("name", "ROTATION_DAYS", "value", String.valueOf(ROTATION_DAYS)),
                map("name", "MIN_AGE_MINUTES", "value", String.valueOf(MIN_AGE_MINUTES)),
                map("name", "FORCE_ROTATION", "value", String.valueOf(forceRotation)),
                map("name", "AWS_REGION", "value", spec.region()),
                map("name", "PYTHONDONTWRITEBYTECODE", "value", "1"));
        return map(
                "backoffLimit", 3,
                "activeDeadlineSeconds", 900,
                "template", map("spec", map(
                        "serviceAccountName", SERVICE_ACCOUNT,
                        "restartPolicy", "Never",
                        "securityContext", map(
                                "runAsNonRoot", true, "runAsUser", 65534, "runAsGroup", 65534,
                                "seccompProfile", map("type", "RuntimeDefault")),
                        "tolerations", ClusterContract.tolerations(spec.tolerateGpuTaint()),
                        "nodeSelector", HelmValues.systemNodeSelector(spec),
                        "containers", List.of(map(
                                "name", "credentials",
                                "image", Mlflow.IMAGE,
                                "command", List.of("python", "/script/" + SCRIPT),
                                "env", env,
                                "resources", resources("50m", "128Mi", "256Mi"),
                                "securityContext", map(
                                        "allowPrivilegeEscalation", false,
                                        "readOnlyRootFilesystem", true,
                                        "capabilities", map("drop", List.of("ALL"))),
                                "volumeMounts", List.of(map("name", "script", "mountPath", "/script", "readOnly", true)))),
                        "volumes", List.of(map("name", "script", "configMap", map("name", RECONCILE))))));
    }

    /** The script's text (a resource of this module, also compiled and unit-tested with python3 by the build). */
    public static String script() {
        try (InputStream in = DatabaseCredentials.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SCRIPT + " missing next to " + DatabaseCredentials.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
