"""The example DAG's two task functions against a stand-in MLflow tracking server (ExampleDagTest).

Neither Airflow, torch nor mlflow is installed here: each function's source is cut out of the DAG
file with ast (as @task.kubernetes ships only the function's source into its pod) and run with a
fake ``torch`` (CPU arithmetic, a made-up device name). The stand-in server answers the MLflow
REST calls the functions make, in MLflow's shapes, and keeps what they wrote, so the CPU task reads
back what the GPU task logged. What it cannot show: the real server's behaviour, CUDA.

    DAG_FILE=<path> python3 -m unittest discover -s src/test/python -p 'test_example_dag.py'
"""

import ast
import json
import os
import sys
import threading
import types
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DAG_FILE = os.environ.get("DAG_FILE", "")


def function_source(name):
    with open(DAG_FILE, encoding="utf-8") as f:
        text = f.read()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            node.decorator_list = []
            return ast.unparse(node)
    raise AssertionError(f"no function {name} in {DAG_FILE}")


class FakeTensor:
    def sum(self):
        return self

    def item(self):
        return 42.0


def fake_torch():
    torch = types.ModuleType("torch")
    torch.__version__ = "2.9.1+cu128"
    torch.version = types.SimpleNamespace(cuda="12.8")
    torch.cuda = types.SimpleNamespace(is_available=lambda: True, get_device_name=lambda d: "Tesla T4",
                                       synchronize=lambda: None)
    torch.device = lambda name: name
    torch.randn = lambda *shape, device=None: FakeTensor()
    torch.matmul = lambda a, b: FakeTensor()
    return torch


class Mlflow:
    """Just enough of MLflow 3's tracking and artifact-proxy REST API, in its JSON shapes."""

    def __init__(self):
        self.experiments = {}  # name -> id
        self.runs = {}  # run id -> {"info", "params", "metrics", "tags"}
        self.artifacts = {}  # path -> bytes
        self.calls = []

    def handle(self, method, path, query, body):
        self.calls.append((method, path))
        if method == "GET" and path == "/api/2.0/mlflow/experiments/get-by-name":
            name = query["experiment_name"][0]
            if name not in self.experiments:
                return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": f"Could not find experiment {name}"}
            return 200, {"experiment": {"experiment_id": self.experiments[name], "name": name}}
        if method == "POST" and path == "/api/2.0/mlflow/experiments/create":
            self.experiments[body["name"]] = str(len(self.experiments) + 1)
            return 200, {"experiment_id": self.experiments[body["name"]]}
        if method == "POST" and path == "/api/2.0/mlflow/runs/create":
            run_id = f"run{len(self.runs) + 1:029d}"
            info = {"run_id": run_id, "experiment_id": body["experiment_id"], "status": "RUNNING",
                    "run_name": body.get("run_name"),
                    "artifact_uri": f"mlflow-artifacts:/{body['experiment_id']}/{run_id}/artifacts"}
            self.runs[run_id] = {"info": info, "params": {}, "metrics": {},
                                 "tags": {t["key"]: t["value"] for t in body.get("tags", [])}}
            return 200, {"run": {"info": info, "data": {}}}
        if method == "POST" and path == "/api/2.0/mlflow/runs/log-parameter":
            assert isinstance(body["value"], str), body
            self.runs[body["run_id"]]["params"][body["key"]] = body["value"]
            return 200, {}
        if method == "POST" and path == "/api/2.0/mlflow/runs/log-metric":
            assert isinstance(body["value"], float) and isinstance(body["timestamp"], int), body
            self.runs[body["run_id"]]["metrics"][body["key"]] = body["value"]
            return 200, {}
        if method == "POST" and path == "/api/2.0/mlflow/runs/update":
            self.runs[body["run_id"]]["info"]["status"] = body["status"]
            return 200, {"run_info": self.runs[body["run_id"]]["info"]}
        if method == "POST" and path == "/api/2.0/mlflow/runs/search":
            prefix = "tags.`airflow.run_id` = '"
            assert body["filter"].startswith(prefix) and body["filter"].endswith("'"), body
            wanted = body["filter"][len(prefix):-1]
            found = [r for r in self.runs.values() if r["info"]["experiment_id"] in body["experiment_ids"]
                     and r["tags"].get("airflow.run_id") == wanted]
            return 200, {"runs": [{"info": r["info"], "data": {
                "params": [{"key": k, "value": v} for k, v in r["params"].items()],
                "metrics": [{"key": k, "value": v} for k, v in r["metrics"].items()],
                "tags": [{"key": k, "value": v} for k, v in r["tags"].items()]}} for r in found]}
        if method == "GET" and path == "/api/2.0/mlflow/artifacts/list":
            info = self.runs[query["run_id"][0]]["info"]
            root = info["artifact_uri"][len("mlflow-artifacts:/"):] + "/"
            return 200, {"root_uri": info["artifact_uri"], "files": [
                {"path": p[len(root):], "is_dir": False, "file_size": len(b)}
                for p, b in self.artifacts.items() if p.startswith(root)]}
        if method == "PUT" and path.startswith("/api/2.0/mlflow-artifacts/artifacts/"):
            self.artifacts[path[len("/api/2.0/mlflow-artifacts/artifacts/"):]] = body
            return 200, {}
        return 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": f"{method} {path}"}


def serve(mlflow):
    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            url = urllib.parse.urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = raw if self.command == "PUT" else (json.loads(raw) if raw else None)
            status, answer = mlflow.handle(self.command, url.path, urllib.parse.parse_qs(url.query), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class ExampleDagTest(unittest.TestCase):
    def setUp(self):
        self.mlflow = Mlflow()
        self.server = serve(self.mlflow)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}"
        os.environ["MLFLOW_TRACKING_URI"] = self.uri
        sys.modules["torch"] = fake_torch()

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        sys.modules.pop("torch", None)
        os.environ.pop("MLFLOW_TRACKING_URI", None)

    def gpu_matmul(self):
        scope = {}
        exec(compile(function_source("gpu_matmul"), DAG_FILE, "exec"), scope)
        return scope["gpu_matmul"]

    def check_mlflow_run(self):
        # the CPU task runs in the DAG module: its globals are the module's imports and TRACKING_URI
        scope = {"json": json, "urllib": urllib, "TRACKING_URI": self.uri}
        exec(compile(function_source("check_mlflow_run"), DAG_FILE, "exec"), scope)
        return scope["check_mlflow_run"]

    def test_the_gpu_task_logs_params_metrics_and_an_artifact_and_the_cpu_task_reads_them_back(self):
        self.gpu_matmul()(airflow_run_id="manual__2026-12-05T10:00:00+00:00", experiment="bridgeai-gpu-example",
                          size=8, repeats=2)
        self.assertEqual({"bridgeai-gpu-example": "1"}, self.mlflow.experiments)
        (run,) = self.mlflow.runs.values()
        self.assertEqual("FINISHED", run["info"]["status"])
        self.assertEqual({"airflow.run_id": "manual__2026-12-05T10:00:00+00:00", "gpu.device": "Tesla T4"}, run["tags"])
        self.assertEqual({"matrix_size": "8", "repeats": "2", "dtype": "float32", "torch_version": "2.9.1+cu128",
                          "cuda_version": "12.8"}, run["params"])
        self.assertEqual({"matmul_seconds", "tflops"}, set(run["metrics"]))
        path = f"1/{run['info']['run_id']}/artifacts/gpu_report.json"
        self.assertEqual([path], list(self.mlflow.artifacts))
        report = json.loads(self.mlflow.artifacts[path])
        self.assertEqual(("Tesla T4", 8, 42.0), (report["device"], report["matrix_size"], report["checksum"]))
        # the CPU task finds that run by its tag, with its metric and its artifact
        self.check_mlflow_run()(airflow_run_id="manual__2026-12-05T10:00:00+00:00", experiment="bridgeai-gpu-example")

    def test_a_second_run_reuses_the_experiment(self):
        for run_id in ("manual__1", "manual__2"):
            self.gpu_matmul()(airflow_run_id=run_id, experiment="bridgeai-gpu-example", size=4, repeats=1)
        self.assertEqual(1, self.mlflow.calls.count(("POST", "/api/2.0/mlflow/experiments/create")))
        self.assertEqual(2, len(self.mlflow.runs))

    def test_the_cpu_task_fails_when_the_run_is_missing_or_incomplete(self):
        self.gpu_matmul()(airflow_run_id="manual__1", experiment="bridgeai-gpu-example", size=4, repeats=1)
        with self.assertRaisesRegex(RuntimeError, "no MLflow run tagged airflow.run_id=manual__2"):
            self.check_mlflow_run()(airflow_run_id="manual__2", experiment="bridgeai-gpu-example")
        self.mlflow.artifacts.clear()
        with self.assertRaisesRegex(RuntimeError, "incomplete MLflow run"):
            self.check_mlflow_run()(airflow_run_id="manual__1", experiment="bridgeai-gpu-example")
        with self.assertRaisesRegex(RuntimeError, "MLflow has no experiment other"):
            self.check_mlflow_run()(airflow_run_id="manual__1", experiment="other")

    def test_without_a_gpu_the_pod_fails_before_logging_anything(self):
        sys.modules["torch"].cuda.is_available = lambda: False
        with self.assertRaisesRegex(RuntimeError, "no CUDA device visible"):
            self.gpu_matmul()(airflow_run_id="manual__1", experiment="bridgeai-gpu-example")
        self.assertEqual([], self.mlflow.calls)


if __name__ == "__main__":
    unittest.main()
