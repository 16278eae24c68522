"""Reads a DAG file with Python's own parser (ast) and prints, as JSON, what a test checks.

    python3 inspect_dag.py <dag.py>

Nothing is imported or executed (Airflow is not installed here). Printed:
  assignments  module-level NAME = <literal> (dicts, strings, numbers), evaluated with ast.literal_eval
  tasks        every decorated function: its decorator (dotted name) and keyword arguments
  dags         every @dag(...) decorator's keyword arguments
  edges        upstream >> downstream pairs between task calls
An expression that is not a literal is described: {"name": "X"}, {"call": "f.g", "args": [...]},
{"dict": {...}}, {"list": [...]}, {"value": <constant>}, or {"source": "<unparsed>"}.
"""

import ast
import json
import sys


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return dotted(node.value) + "." + node.attr
    return ast.unparse(node)


def describe(node):
    if isinstance(node, ast.Constant):
        return {"value": node.value}
    if isinstance(node, (ast.Name, ast.Attribute)):
        return {"name": dotted(node)}
    if isinstance(node, ast.Call):
        return {"call": dotted(node.func), "args": [describe(a) for a in node.args],
                "keywords": {k.arg: describe(k.value) for k in node.keywords if k.arg}}
    if isinstance(node, ast.Dict):
        return {"dict": {ast.literal_eval(k): describe(v) for k, v in zip(node.keys, node.values)}}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"list": [describe(e) for e in node.elts]}
    return {"source": ast.unparse(node)}


def decorator(node):
    call = node if isinstance(node, ast.Call) else None
    name = dotted(call.func if call else node)
    keywords = {k.arg: describe(k.value) for k in call.keywords if k.arg} if call else {}
    return name, keywords


def called(node):
    """The function a task call invokes: gpu(...) -> gpu; gpu(...).expand(...) -> gpu."""
    while isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        node = node.func.value if isinstance(node.func, ast.Attribute) else node.func
    return None


def main(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    out = {"assignments": {}, "tasks": {}, "dags": {}, "edges": []}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            try:
                out["assignments"][stmt.targets[0].id] = ast.literal_eval(stmt.value)
            except ValueError:
                out["assignments"][stmt.targets[0].id] = describe(stmt.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                name, keywords = decorator(dec)
                if name == "dag":
                    out["dags"][node.name] = keywords
                elif name == "task" or name.startswith("task."):
                    out["tasks"][node.name] = {"decorator": name, "keywords": keywords}
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
            up, down = called(node.left), called(node.right)
            if up and down:
                out["edges"].append([up, down])
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
