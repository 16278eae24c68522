package com.bridgeai.infra.modules.apps.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.apps.AppsTest;
import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.apps.mlflow.Mlflow;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.GitOpsSpec;
import com.bridgeai.infra.modules.gitops.Manifests.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cluster side of the apps' database credentials: the job's pods, the store and the
 * ExternalSecrets as rendered; the job's script compiled and unit-tested with python3 (its tests
 * check the SCRAM verifier against RFC 7677 and the alternating-login rotation). The objects'
 * schemas are validated in src/test (GitOpsManifestSchemaTest, External Secrets CRD models).
 */
class DatabaseCredentialsTest {
    static final Path SCRIPT = Path.of("src", "main", "resources", "com", "bridgeai", "infra", "modules", "apps", "database",
            DatabaseCredentials.SCRIPT);
    static final GitOpsSpec SPEC = AppsTest.spec(true, true, "db.internal");

    static Map<String, Object> object(String kind, String name) {
        return DatabaseCredentials.manifests(SPEC).stream()
                .filter(m -> m.kind().equals(kind) && m.metadata().name().equals(name))
                .map(Manifest::toMap).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, String... keys) {
        for (String key : keys) {
            node = node instanceof List<?> list ? list.get(Integer.parseInt(key)) : ((Map<String, Object>) node).get(key);
        }
        return node;
    }

    @Test
    void theObjectsOfTheFolder() {
        assertEquals(List.of("ServiceAccount apps-database-credentials", "ConfigMap apps-database-credentials",
                        "CronJob apps-database-credentials", "CronJob apps-database-rotate-now", "Job apps-database-credentials-install",
                        "ClusterSecretStore apps-database", "ExternalSecret airflow-database", "ExternalSecret mlflow-database-login"),
                DatabaseCredentials.manifests(SPEC).stream().map(m -> m.kind() + " " + m.metadata().name()).toList());
        assertEquals("arn:aws:iam::1:role/mlops-test-apps-database-credentials",
                at(object("ServiceAccount", "apps-database-credentials"), "metadata", "annotations", "eks.amazonaws.com/role-arn"));
        assertEquals(DatabaseCredentials.script(), at(object("ConfigMap", "apps-database-credentials"), "data", DatabaseCredentials.SCRIPT));
        assertEquals(true, at(object("CronJob", "apps-database-rotate-now"), "spec", "suspend"));
        assertEquals("Forbid", at(object("CronJob", "apps-database-credentials"), "spec", "concurrencyPolicy"));
        assertEquals(Map.of("kustomize.toolkit.fluxcd.io/force", "enabled"),
                at(object("Job", "apps-database-credentials-install"), "metadata", "annotations"));
    }

    @Test
    void theJobsPodIsLockedDownAndOnlyTheRotateNowOneForces() {
        for (String[] pod : List.of(new String[] {"CronJob", "apps-database-credentials", "false"},
                new String[] {"CronJob", "apps-database-rotate-now", "true"})) {
            Object spec = at(object(pod[0], pod[1]), "spec", "jobTemplate", "spec", "template", "spec");
            assertPod(spec, pod[2]);
        }
        assertPod(at(object("Job", "apps-database-credentials-install"), "spec", "template", "spec"), "false");
    }

    private static void assertPod(Object spec, String force) {
        assertEquals(DatabaseCredentials.SERVICE_ACCOUNT, at(spec, "serviceAccountName"));
        assertEquals(true, at(spec, "securityContext", "runAsNonRoot"));
        assertEquals(ClusterContract.tolerations(true), at(spec, "tolerations"));
        Object container = at(spec, "containers", "0");
        assertEquals(Mlflow.IMAGE, at(container, "image"));
        assertEquals(false, at(container, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(true, at(container, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(List.of("ALL"), at(container, "securityContext", "capabilities", "drop"));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = ((List<Map<String, Object>>) at(container, "env")).stream()
                .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
        assertEquals(force, env.get("FORCE_ROTATION"));
        assertEquals("airflow=mlops-test-apps/airflow,mlflow=mlops-test-apps/mlflow", env.get("APP_SECRETS"));
        assertEquals("db.internal", env.get("DB_HOST"));
        assertEquals("30", env.get("ROTATION_DAYS"));
        assertFalse(env.toString().toLowerCase().contains("password"), "no password in the pod: " + env);
    }

    @Test
    void theStoreServesOnlyTheAppsNamespacesAndEachAppGetsItsOwnLogin() {
        Map<String, Object> store = object("ClusterSecretStore", DatabaseCredentials.STORE);
        assertEquals(Map.of("service", "SecretsManager", "region", "eu-west-2"), at(store, "spec", "provider", "aws"));
        assertEquals(List.of(Map.of("namespaces", List.of("airflow", "mlflow"))), at(store, "spec", "conditions"));
        Map<String, Object> airflow = object("ExternalSecret", Airflow.METADATA_SECRET);
        assertEquals("airflow", at(airflow, "metadata", "namespace"));
        assertEquals(DatabaseCredentials.REFRESH_INTERVAL, at(airflow, "spec", "refreshInterval"));
        assertEquals("mlops-test-apps/airflow", at(airflow, "spec", "data", "0", "remoteRef", "key"));
        assertEquals("Retain", at(airflow, "spec", "target", "deletionPolicy"));
        assertEquals(Map.of(DatabaseCredentials.RELOAD_LABEL, "true"), at(airflow, "spec", "target", "template", "metadata", "labels"));
        // the URL: user and password URL-encoded by the template, TLS required
        String url = (String) at(airflow, "spec", "target", "template", "data", Airflow.METADATA_SECRET_KEY);
        assertEquals("postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require", url);
        Map<String, Object> mlflow = object("ExternalSecret", Mlflow.DATABASE_SECRET);
        assertEquals("mlflow", at(mlflow, "metadata", "namespace"));
        assertEquals("mlops-test-apps/mlflow", at(mlflow, "spec", "data", "1", "remoteRef", "key"));
        assertEquals(Map.of("username", "{{ .username }}", "password", "{{ .password }}"),
                at(mlflow, "spec", "target", "template", "data"));
    }

    /** The script travels through Terraform (github_repository_file content): no interpolation sequences. */
    @Test
    void theScriptHasNoTerraformInterpolationAndItsUnitTestsPass() throws Exception {
        String script = DatabaseCredentials.script();
        assertFalse(script.contains("${") || script.contains("%{"), "Terraform would interpolate it");
        ProcessBuilder compiler = new ProcessBuilder("python3", "-m", "py_compile", SCRIPT.toString()).redirectErrorStream(true);
        // the bytecode goes to target/, not next to the script (it would land in the jar and in git)
        compiler.environment().put("PYTHONPYCACHEPREFIX", Path.of("target", "pycache").toAbsolutePath().toString());
        Process compile = compiler.start();
        String compileOut = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(compile.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, compile.exitValue(), compileOut);
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v", "-s", "src/test/python", "-p", "test_*.py")
                .redirectErrorStream(true);
        pb.environment().put("CREDENTIALS_SCRIPT", SCRIPT.toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process tests = pb.start();
        String out = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tests.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, tests.exitValue(), out);
        assertTrue(out.contains("Ran 12 tests"), out);
        assertTrue(out.matches("(?s).*test_rfc7677_exchange_verifies_against_the_stored_keys[^\n]* \\.\\.\\. ok.*"), out);
    }

    @Test
    void externalSecretsAndReloaderValues() {
        assertEquals("arn:aws:iam::1:role/mlops-test-external-secrets",
                at(ExternalSecretsOperator.values(SPEC), "serviceAccount", "annotations", "eks.amazonaws.com/role-arn"));
        assertEquals(ExternalSecretsOperator.SERVICE_ACCOUNT, at(ExternalSecretsOperator.values(SPEC), "serviceAccount", "name"));
        assertEquals(ClusterContract.tolerations(true), at(ExternalSecretsOperator.values(SPEC), "global", "tolerations"));
        Object reloader = at(Reloader.values(SPEC), "reloader");
        assertEquals(List.of("airflow", "mlflow"), at(reloader, "namespaces"));
        assertEquals(false, at(reloader, "watchGlobally"));
        assertEquals(DatabaseCredentials.RELOAD_LABEL + "=true", at(reloader, "resourceLabelSelector"));
        assertEquals(true, at(reloader, "ignoreJobs"));
    }
}
