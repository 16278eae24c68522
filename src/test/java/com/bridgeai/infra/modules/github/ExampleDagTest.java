package com.bridgeai.infra.modules.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bridgeai.infra.modules.apps.airflow.Airflow;
import com.bridgeai.infra.modules.gitops.ClusterContract;
import com.bridgeai.infra.modules.gitops.ClusterContract.Taint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example DAG in the GitOps tree's {@code dags/} (Airflow.EXAMPLE_DAG): rendered in every
 * variant of the tree, compiled by {@code python3 -m py_compile}, and read with Python's own parser
 * ({@code src/test/python/inspect_dag.py}, ast; nothing string-matched): the GPU pod's override asks
 * for one {@code nvidia.com/gpu} and tolerates the taint GPU nodes carry (ClusterContract, by
 * Kubernetes' toleration rules), the GPU task is that pod in the pinned image, the CPU task's
 * executor override asks for no GPU, and the CPU task runs after the GPU task. Its two task
 * functions then run against a stand-in MLflow server ({@code src/test/python/test_example_dag.py}).
 */
class ExampleDagTest {
    static final String DAG_PATH = Airflow.DAGS_FOLDER + "/" + Airflow.EXAMPLE_DAG;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    /** The DAG as the tree renders it, in a file of its own (the tainted and untainted variants render the same). */
    static Path renderedDag() throws IOException {
        SortedMap<String, String> tainted = GitOpsTree.render(GitOpsTreeTest.spec(GitOpsTreeTest.EFS_TOKEN, true));
        SortedMap<String, String> untainted = GitOpsTree.render(GitOpsTreeTest.spec("", false));
        assertTrue(tainted.containsKey(DAG_PATH), tainted.keySet()::toString);
        assertEquals(Airflow.exampleDag(), tainted.get(DAG_PATH));
        assertEquals(tainted.get(DAG_PATH), untainted.get(DAG_PATH));
        Path file = work.resolve(Airflow.EXAMPLE_DAG);
        Files.writeString(file, tainted.get(DAG_PATH));
        return file;
    }

    record Result(int exit, String out) {}

    static Result python(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // bytecode under target/, never next to a source file (it would land in git)
        pb.environment().put("PYTHONPYCACHEPREFIX", Path.of("target", "pycache").toAbsolutePath().toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 " + args[0] + " timed out");
        return new Result(p.exitValue(), p.exitValue() == 0 ? out : out + err);
    }

    static JsonNode inspect(Path dag) throws IOException, InterruptedException {
        Result r = python(Map.of(), "src/test/python/inspect_dag.py", dag.toString());
        assertEquals(0, r.exit(), r.out());
        return JSON.readTree(r.out());
    }

    /** Kubernetes' rule: a toleration matches a taint with the same key and effect (an empty effect matches all), with operator Exists or Equal and the same value. */
    static boolean tolerates(JsonNode toleration, Taint taint) {
        boolean effect = !toleration.hasNonNull("effect") || toleration.get("effect").asText().isEmpty()
                || toleration.get("effect").asText().equals(taint.effect());
        boolean key = !toleration.hasNonNull("key") ? "Exists".equals(toleration.path("operator").asText())
                : toleration.get("key").asText().equals(taint.key());
        String operator = toleration.path("operator").asText("Equal");
        boolean value = operator.equals("Exists") || (operator.equals("Equal") && toleration.path("value").asText().equals(taint.value()));
        return effect && key && value;
    }

    static List<JsonNode> gpuTolerations(JsonNode pod) {
        List<JsonNode> matching = new ArrayList<>();
        pod.path("spec").path("tolerations").forEach(t -> {
            if (tolerates(t, ClusterContract.gpuTaint())) {
                matching.add(t);
            }
        });
        return matching;
    }

    /** The quantity of nvidia.com/gpu a container asks for, in requests or limits (absent: 0). */
    static int gpus(JsonNode container, String kind) {
        JsonNode q = container.path("resources").path(kind).path("nvidia.com/gpu");
        return q.isMissingNode() ? 0 : Integer.parseInt(q.asText());
    }

    @Test
    void theRenderedDagCompiles() throws Exception {
        Result r = python(Map.of(), "-m", "py_compile", renderedDag().toString());
        assertEquals(0, r.exit(), r.out());
        // its text travels through Terraform (github_repository_file content): no interpolation sequences
        assertFalse(Airflow.exampleDag().contains("${") || Airflow.exampleDag().contains("%{"), "Terraform would interpolate it");
    }

    @Test
    void theGpuPodAsksForOneGpuAndToleratesTheGpuTaint() throws Exception {
        JsonNode dag = inspect(renderedDag());
        JsonNode gpuPod = dag.at("/assignments/GPU_POD");
        JsonNode base = gpuPod.at("/spec/containers/0");
        assertEquals("base", base.path("name").asText(), "the container the operator's pod is merged onto");
        assertEquals(1, gpus(base, "limits"));
        assertEquals(1, gpus(base, "requests"));
        assertEquals(1, gpuPod.at("/spec/containers").size());
        assertEquals(1, gpuTolerations(gpuPod).size(), gpuPod.toString());

        // the GPU task is that pod, in the pinned image
        JsonNode gpuTask = dag.at("/tasks/gpu_matmul");
        assertEquals("task.kubernetes", gpuTask.path("decorator").asText());
        assertEquals("GPU_POD", gpuTask.at("/keywords/pod_template_dict/name").asText());
        assertEquals("PYTORCH_IMAGE", gpuTask.at("/keywords/image/name").asText());
        assertTrue(dag.at("/assignments/PYTORCH_IMAGE").asText()
                .matches("pytorch/pytorch:[0-9.]+-cuda[0-9.]+-cudnn[0-9]+-runtime@sha256:[0-9a-f]{64}"), dag.at("/assignments/PYTORCH_IMAGE").asText());
        assertEquals(false, gpuTask.at("/keywords/do_xcom_push/value").asBoolean(true), "no xcom sidecar (an unpinned image)");
        // time for Karpenter to start a GPU node and for the image's first pull
        assertTrue(gpuTask.at("/keywords/schedule_timeout_seconds/value").asInt() >= 600);
        assertTrue(gpuTask.at("/keywords/startup_timeout_seconds/value").asInt() >= 600);
        assertEquals("MLFLOW_TRACKING_URI", dag.at("/assignments/TRACKING_URI/args/0/value").asText());
        assertEquals("TRACKING_URI", gpuTask.at("/keywords/env_vars/dict/MLFLOW_TRACKING_URI/name").asText());
    }

    @Test
    void theCpuTaskFollowsThroughTheExecutorsPodOverrideWithoutAGpu() throws Exception {
        JsonNode dag = inspect(renderedDag());
        JsonNode cpuTask = dag.at("/tasks/check_mlflow_run");
        assertEquals("task", cpuTask.path("decorator").asText());
        JsonNode override = cpuTask.at("/keywords/executor_config/dict/pod_override");
        assertEquals("PodGenerator.deserialize_model_dict", override.path("call").asText());
        assertEquals("CPU_POD", override.at("/args/0/name").asText());
        JsonNode cpuPod = dag.at("/assignments/CPU_POD");
        assertEquals("base", cpuPod.at("/spec/containers/0/name").asText(), "the KubernetesExecutor's container");
        assertEquals(0, gpus(cpuPod.at("/spec/containers/0"), "limits") + gpus(cpuPod.at("/spec/containers/0"), "requests"));
        assertEquals(List.of(), gpuTolerations(cpuPod));
        assertEquals(JSON.readTree("[[\"gpu_matmul\", \"check_mlflow_run\"]]"), dag.get("edges"));
        assertEquals(Airflow.EXAMPLE_DAG_ID, dag.at("/dags/" + Airflow.EXAMPLE_DAG_ID + "/dag_id/value").asText());
        assertTrue(dag.at("/dags/" + Airflow.EXAMPLE_DAG_ID + "/schedule/value").isNull(), "triggered by hand only");
    }

    /** The checks fail for a pod without the GPU or with a toleration of another taint (the parser, not the text, decides). */
    @Test
    void theChecksSeeAMissingGpuOrAWrongToleration() throws Exception {
        Path dag = renderedDag();
        String text = Files.readString(dag);
        Path broken = work.resolve("broken.py");
        Files.writeString(broken, text
                .replace("\"limits\": {\"memory\": \"6Gi\", \"nvidia.com/gpu\": 1}", "\"limits\": {\"memory\": \"6Gi\"}")
                .replace("{\"key\": \"nvidia.com/gpu\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}",
                        "{\"key\": \"nvidia.com/gpu\", \"operator\": \"Equal\", \"value\": \"false\", \"effect\": \"NoSchedule\"}"));
        JsonNode pod = inspect(broken).at("/assignments/GPU_POD");
        assertEquals(0, gpus(pod.at("/spec/containers/0"), "limits"));
        assertEquals(List.of(), gpuTolerations(pod));
        Taint taint = ClusterContract.gpuTaint();
        assertTrue(tolerates(JSON.readTree("{\"operator\": \"Exists\"}"), taint), "an empty key with Exists tolerates everything");
        assertTrue(tolerates(JSON.readTree("{\"key\": \"nvidia.com/gpu\", \"value\": \"true\", \"effect\": \"NoSchedule\"}"), taint));
        assertFalse(tolerates(JSON.readTree("{\"key\": \"nvidia.com/gpu\", \"operator\": \"Exists\", \"effect\": \"NoExecute\"}"), taint));
    }

    @Test
    void theTaskFunctionsLogToAndReadFromAStandInMlflow() throws Exception {
        Result r = python(Map.of("DAG_FILE", renderedDag().toString(), "PYTHONDONTWRITEBYTECODE", "1"),
                "-m", "unittest", "discover", "-v", "-s", "src/test/python", "-p", "test_example_dag.py");
        assertEquals(0, r.exit(), r.out());
    }
}
