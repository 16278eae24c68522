"""bridgeai_gpu_mlflow_example: proves the GPU + MLflow path of this cluster.

Two tasks, triggered by hand (no schedule):

1. ``gpu_matmul`` starts one pod in a pinned PyTorch CUDA image that asks for ONE
   ``nvidia.com/gpu`` and tolerates the ``nvidia.com/gpu=true:NoSchedule`` taint of GPU
   nodes. It multiplies two 4096 x 4096 matrices on the GPU, prints the device name and
   the time, and logs parameters, metrics and a JSON artifact to MLflow.
2. ``check_mlflow_run`` (CPU, in Airflow's own image) finds that run in MLflow and fails
   unless it finished with its metric and its artifact.

Why the GPU job is a pod of its own (``@task.kubernetes``) and not the Airflow task
itself: with the KubernetesExecutor every task runs in a worker pod made from Airflow's
image (Airflow 3.1.7, Python, no CUDA, no torch, no mlflow package). The executor's
``executor_config={"pod_override": ...}`` changes THAT pod: giving it the GPU would put
an Airflow process on the GPU node, holding the GPU, without the CUDA libraries to use
it; swapping its image for the PyTorch one would remove Airflow from the pod that has to
run the task. So the launching task stays a small CPU worker (the default worker size),
and the GPU pod gets the override: ``GPU_POD`` below is a pod in the Kubernetes API's own
spelling, handed to the cncf.kubernetes provider as ``pod_template_dict``. The provider
deserializes it with ``PodGenerator.deserialize_model_dict`` and merges the operator's pod
onto it with ``PodGenerator.reconcile_pods``: the same two functions the KubernetesExecutor
applies to ``executor_config["pod_override"]`` (the CPU task below uses that path, with
``CPU_POD``). A task that must hold the GPU in its own worker pod (an Airflow image with
CUDA built on top) would take ``executor_config={"pod_override":
PodGenerator.deserialize_model_dict(GPU_POD)}`` with the same dict.

Where the GPU pod lands:
* ``gpu_capacity: karpenter``: no GPU node runs at idle; the pending pod (GPU request +
  toleration) makes Karpenter start one from the GPU NodePool; the node goes away
  ``gpu_consolidate_after`` (default 10m) after the pod ends.
* ``gpu_capacity: node_group``: on the managed GPU group's node. With ``gpu_taint: false``
  the toleration is harmless; with ``gpu_taint: true`` it is what lets the pod in.

MLflow without the mlflow package: the GPU pod talks to the tracking server's REST API
with the standard library (``MLFLOW_TRACKING_URI``, set for every Airflow pod by the
chart's values, is passed on to the pod). The server proxies artifacts
(``--serve-artifacts``, artifacts in S3 through its IRSA role): a run's ``artifact_uri``
is ``mlflow-artifacts:/<experiment>/<run>/artifacts`` and files are PUT to
``/api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<file>``, so the pod
needs no AWS credentials and nothing is downloaded at run time.

Trigger: ``airflow dags trigger bridgeai_gpu_mlflow_example`` (see the infrastructure
repository's docs/gitops.md, "Run the GPU example DAG").
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request

import pendulum
from airflow.providers.cncf.kubernetes.pod_generator import PodGenerator
from airflow.sdk import dag, task

# PyTorch 2.9.1 with CUDA 12.8 and cuDNN 9 (Python in /opt/conda, bash): the tag, pinned to
# its digest. CUDA 12.8 needs an NVIDIA driver >= 570; the EKS AL2023 NVIDIA AMIs of
# release v20260714 ship 580. PyTorch's CUDA 12.8 builds include sm_75 (T4, g4dn), sm_86
# (A10G, g5; L4, g6) and sm_90.
PYTORCH_IMAGE = (
    "pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime"
    "@sha256:7b324d212a4450795b49edba9949b7cdc72429148a64e974334bfe5774d51385"
)
EXPERIMENT = "bridgeai-gpu-example"
TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "http://mlflow.mlflow.svc.cluster.local")

# The GPU pod's override (Kubernetes API spelling, as in a manifest): one GPU, and the
# toleration of the taint GPU nodes carry. CPU and memory fit a g4dn.xlarge (4 vCPU,
# 16 GiB) next to the system pods of a single-node group.
GPU_POD = {
    "metadata": {"labels": {"app.kubernetes.io/part-of": "bridgeai-gpu-example"}},
    "spec": {
        "containers": [
            {
                "name": "base",
                "resources": {
                    "requests": {"cpu": "500m", "memory": "2Gi", "nvidia.com/gpu": 1},
                    "limits": {"memory": "6Gi", "nvidia.com/gpu": 1},
                },
            }
        ],
        "tolerations": [
            {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
        ],
    },
}

# The CPU task's worker pod, through the executor's pod_override: smaller than the
# chart's default task size, no GPU, no toleration (it never needs a GPU node).
CPU_POD = {
    "spec": {
        "containers": [
            {
                "name": "base",
                "resources": {
                    "requests": {"cpu": "100m", "memory": "256Mi"},
                    "limits": {"memory": "1Gi"},
                },
            }
        ],
    },
}


@dag(
    dag_id="bridgeai_gpu_mlflow_example",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["example", "gpu", "mlflow"],
    doc_md=__doc__,
)
def bridgeai_gpu_mlflow_example():
    @task.kubernetes(
        image=PYTORCH_IMAGE,
        image_pull_policy="IfNotPresent",
        pod_template_dict=GPU_POD,
        env_vars={"MLFLOW_TRACKING_URI": TRACKING_URI},
        in_cluster=True,
        get_logs=True,
        do_xcom_push=False,
        # a GPU node from zero: Karpenter's launch and the node joining (a few minutes),
        # then the first pull of the image (several GB)
        schedule_timeout_seconds=1200,
        startup_timeout_seconds=1200,
        on_finish_action="delete_pod",
    )
    def gpu_matmul(airflow_run_id: str, experiment: str, size: int = 4096, repeats: int = 10):
        # Runs in the PyTorch image: only this function's source travels into the pod,
        # so everything it uses is imported or defined here.
        import json as _json
        import os as _os
        import time as _time
        import urllib.error as _error
        import urllib.parse as _parse
        import urllib.request as _request

        import torch

        tracking = _os.environ["MLFLOW_TRACKING_URI"].rstrip("/")

        def call(method, path, body=None, data=None):
            payload = data if data is not None else (_json.dumps(body).encode() if body is not None else None)
            req = _request.Request(tracking + path, data=payload, method=method)
            if body is not None:
                req.add_header("Content-Type", "application/json")
            with _request.urlopen(req, timeout=30) as resp:
                text = resp.read().decode() or "{}"
                return _json.loads(text) if resp.headers.get_content_type() == "application/json" else {}

        def experiment_id(name):
            try:
                query = _parse.urlencode({"experiment_name": name})
                return call("GET", "/api/2.0/mlflow/experiments/get-by-name?" + query)["experiment"]["experiment_id"]
            except _error.HTTPError as e:
                if e.code != 404:
                    raise
            try:
                return call("POST", "/api/2.0/mlflow/experiments/create", {"name": name})["experiment_id"]
            except _error.HTTPError as e:  # created by a concurrent run in between
                if e.code not in (400, 409):
                    raise
                return experiment_id(name)

        if not torch.cuda.is_available():
            raise RuntimeError("no CUDA device visible: is the nvidia.com/gpu request in the pod?")
        device = torch.device("cuda:0")
        name = torch.cuda.get_device_name(device)
        a = torch.randn(size, size, device=device)
        b = torch.randn(size, size, device=device)
        torch.matmul(a, b)  # warm-up: kernels and cuBLAS handles
        torch.cuda.synchronize()
        start = _time.perf_counter()
        for _ in range(repeats):
            c = torch.matmul(a, b)
        torch.cuda.synchronize()
        seconds = (_time.perf_counter() - start) / repeats
        tflops = 2 * size**3 / seconds / 1e12
        print(f"device: {name}; {size}x{size} fp32 matmul: {seconds * 1000:.2f} ms, {tflops:.2f} TFLOP/s")

        exp = experiment_id(experiment)
        now = int(_time.time() * 1000)
        run = call("POST", "/api/2.0/mlflow/runs/create", {
            "experiment_id": exp,
            "run_name": "gpu-matmul-" + airflow_run_id,
            "start_time": now,
            "tags": [
                {"key": "airflow.run_id", "value": airflow_run_id},
                {"key": "gpu.device", "value": name},
            ],
        })["run"]["info"]
        run_id = run["run_id"]
        for key, value in (("matrix_size", size), ("repeats", repeats), ("dtype", "float32"),
                           ("torch_version", torch.__version__), ("cuda_version", torch.version.cuda)):
            call("POST", "/api/2.0/mlflow/runs/log-parameter", {"run_id": run_id, "key": key, "value": str(value)})
        for key, value in (("matmul_seconds", seconds), ("tflops", tflops)):
            call("POST", "/api/2.0/mlflow/runs/log-metric",
                 {"run_id": run_id, "key": key, "value": value, "timestamp": now, "step": 0})
        report = {"device": name, "matrix_size": size, "matmul_seconds": seconds, "tflops": tflops,
                  "checksum": float(c.sum().item())}
        artifacts = _parse.urlsplit(run["artifact_uri"])
        if artifacts.scheme != "mlflow-artifacts":
            raise RuntimeError("expected the server to proxy artifacts (mlflow-artifacts:/...), found "
                               + run["artifact_uri"])
        call("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + artifacts.path.strip("/") + "/gpu_report.json",
             data=_json.dumps(report, indent=2).encode())
        call("POST", "/api/2.0/mlflow/runs/update",
             {"run_id": run_id, "status": "FINISHED", "end_time": int(_time.time() * 1000)})
        print(f"MLflow run {run_id} in experiment {experiment} ({exp}): parameters, 2 metrics, gpu_report.json")

    @task(executor_config={"pod_override": PodGenerator.deserialize_model_dict(CPU_POD)})
    def check_mlflow_run(airflow_run_id: str, experiment: str):
        """The run the GPU pod logged, read back from MLflow with Airflow's own image."""

        def call(path, body=None):
            data = json.dumps(body).encode() if body is not None else None
            req = urllib.request.Request(TRACKING_URI.rstrip("/") + path, data=data,
                                         method="POST" if body is not None else "GET")
            req.add_header("Content-Type", "application/json")
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read().decode() or "{}")

        query = urllib.parse.urlencode({"experiment_name": experiment})
        try:
            exp = call("/api/2.0/mlflow/experiments/get-by-name?" + query)["experiment"]["experiment_id"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"MLflow has no experiment {experiment}: {e}") from e
        runs = call("/api/2.0/mlflow/runs/search", {
            "experiment_ids": [exp],
            "filter": f"tags.`airflow.run_id` = '{airflow_run_id}'",
            "max_results": 1,
        }).get("runs", [])
        if not runs:
            raise RuntimeError(f"no MLflow run tagged airflow.run_id={airflow_run_id} in {experiment}")
        info, data = runs[0]["info"], runs[0]["data"]
        metrics = {m["key"]: m["value"] for m in data.get("metrics", [])}
        params = {p["key"]: p["value"] for p in data.get("params", [])}
        files = call("/api/2.0/mlflow/artifacts/list?" + urllib.parse.urlencode({"run_id": info["run_id"]}))
        names = [f["path"] for f in files.get("files", [])]
        if info["status"] != "FINISHED" or "matmul_seconds" not in metrics or "gpu_report.json" not in names:
            raise RuntimeError(f"incomplete MLflow run {info['run_id']}: {info['status']}, {metrics}, {names}")
        print(f"MLflow run {info['run_id']}: {info['status']}, params {params}, metrics {metrics}, artifacts {names}")
        print(f"UI (kubectl -n mlflow port-forward svc/mlflow 5000:80): "
              f"http://localhost:5000/#/experiments/{exp}/runs/{info['run_id']}")

    gpu_matmul(airflow_run_id="{{ run_id }}", experiment=EXPERIMENT) >> check_mlflow_run(
        airflow_run_id="{{ run_id }}", experiment=EXPERIMENT
    )


bridgeai_gpu_mlflow_example()
