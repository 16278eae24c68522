#!/usr/bin/env python3
"""bench/run's report: one summary line per case (--line), the markdown tables (--markdown),
and splicing them into bench/results.md between the bench:begin/bench:end markers (--splice)."""
import json, statistics, sys

BEGIN, END = "<!-- bench:begin (written by bench/run) -->", "<!-- bench:end -->"

CASES = [  # label, what
    ("floor", "floor: 1 stack, 1 S3 bucket (bench/floor: OLD cdktf 0.19.2 + provider-aws 18.0.3), via bin/synth"),
    ("project", "project: every stack of env `test` (5 stacks), `bash bin/synth`"),
    ("floor-nocache", "floor, bin/synth caches off (`BRIDGEAI_CDS=0 BRIDGEAI_NODE_CODE_CACHE=0`)"),
    ("project-nocache", "project, bin/synth caches off"),
    ("project-cds-only", "project, CDS archive only (`BRIDGEAI_NODE_CODE_CACHE=0`)"),
    ("project-code-cache-only", "project, node code cache only (`BRIDGEAI_CDS=0`)"),
    ("project-local", "env `local` (3 AWS stacks, no GitOps stacks)"),
    ("project-first-after-build", "project, first synth after a build (writes CDS archive + code cache)"),
    ("envs-1", "1 env (copy of test)"),
    ("envs-5", "5 envs"),
    ("envs-20", "20 envs (100 stacks)"),
    ("envs-20-nocache", "20 envs, bin/synth caches off"),
    ("envs-20-select-1", "20 envs present, `BRIDGEAI_ENVS=e07`"),
    ("pair-floor", "floor, in interleaved pairs with the project"),
    ("pair-project", "project, in interleaved pairs with the floor"),
    ("pair-envs-1", "1 env, in interleaved pairs with 20 envs"),
    ("pair-envs-20", "20 envs, in interleaved pairs with 1 env"),
    ("pair-pf-new-1", "protocol floor (bench/floor ProtocolFloor: 5 stacks, 190 cheapest elements per env), 1 env, cdktf 0.21.0 + provider-aws 20.1.0 (trimmed), no CDS"),
    ("pair-pf-new-20", "protocol floor, 20 envs, same jars"),
    ("pair-pf-old-1", "protocol floor, 1 env, OLD cdktf 0.19.2 + provider-aws 18.0.3, no CDS"),
    ("pair-pf-old-20", "protocol floor, 20 envs, OLD jars"),
    ("build-cold", "cold build: fresh clone, empty Maven + npm caches, `mvn -B -q package -DskipTests`"),
    ("mvn-package-warm", "`mvn -B -o -q package -DskipTests`, nothing changed"),
    ("mvn-package-one-source-touched", "same, after touching one source file (Main.java: compiled again, checked)"),
    ("mvn-unit-tests", "`mvn -B -o verify -Dtest='!LocalEmulatorIntegrationTest'` (unit + synth tests)"),
    ("emulator-moto-start", "emulator: moto_server answering"),
    ("emulator-synth", "emulator: synth env local"),
    ("emulator-up-state", "emulator: `tf-stacks up local local-state`"),
    ("emulator-up-vpc", "emulator: `tf-stacks up local local-vpc`"),
    ("emulator-up-eks", "emulator: `tf-stacks up local local-eks`"),
    ("emulator-drift", "emulator: `tf-stacks drift local`"),
    ("emulator-down", "emulator: `tf-stacks down local`"),
    ("guardrails-none", "guard rails: env test via bench/guardrails, no check"),
    ("guardrails-json", "guard rails: the app's check over the synthesized JSON"),
    ("guardrails-aspect", "guard rails: a cdktf Aspect reading every resource's toTerraform()"),
]
RATIOS = [  # numerator, denominator, target, what
    ("project", "floor", None, "project / floor (measured in separate groups)"),
    ("pair-project", "pair-floor", 0.5, "project / floor (interleaved pairs)"),
    ("project-nocache", "floor-nocache", None, "project / floor, both with caches off"),
    ("project", "floor-nocache", None, "project (caches on) / floor started without them"),
    ("envs-5", "envs-1", None, "5 envs / 1 env"),
    ("envs-20", "envs-1", None, "20 envs / 1 env (measured in separate groups)"),
    ("pair-envs-20", "pair-envs-1", None, "20 envs / 1 env (interleaved pairs)"),
    ("envs-20", "envs-20-nocache", None, "20 envs: caches on / off"),
    ("project-local", "floor", None, "env local (no GitOps) / floor"),
    ("envs-20-select-1", "envs-1", None, "20 envs present, 1 selected / 1 env"),
    ("project", "project-nocache", None, "project: caches on / off"),
    ("project-cds-only", "project-nocache", None, "project: CDS only / caches off"),
    ("project-code-cache-only", "project-nocache", None, "project: code cache only / caches off"),
    ("guardrails-json", "guardrails-none", None, "guard rails: JSON check / no check"),
    ("guardrails-aspect", "guardrails-none", None, "guard rails: Aspect / no check"),
]
GIB = 1.5
MARGINAL_MS = 60        # per extra environment, from the interleaved pairs
FIRST_SYNTH_GIB = 1.0   # first synth after a build (writes the caches), peak RSS of the tree
COLD_BUILD_S, COLD_BUILD_GIB = 180, 2.0
WARM_BUILD_S = 5


def med(xs):
    return statistics.median(xs)


def summary(r):
    w = r["walls"]
    rss = [x for x in r["peak_rss_kib"] if x]
    s = f"{r['label']}: median {med(w):.2f} s, min-max {min(w):.2f}-{max(w):.2f} s, n={len(w)}"
    cpu = r.get("cpu_s") or []
    return s + (f", peak RSS {med(rss) / 1024:.0f} MiB" if rss else "") + (f", CPU {med(cpu):.2f} s" if cpu else "")


def markdown(results, meta):
    by = {}
    for r in results:  # a label measured in several calls (interleaved pairs): one case
        if r["label"] in by:
            for key in ("walls", "peak_rss_kib", "timings", "cpu_s"):
                by[r["label"]][key] = by[r["label"]].get(key, []) + r.get(key, [])
        else:
            by[r["label"]] = dict(r)
    out = [BEGIN, "",
           f"Measured {meta['date']} on {meta['machine']}; load average {meta['load']}.",
           f"{meta['versions']}. Commit {meta['commit']}. {meta['runs']} runs per synth case after one warm-up run.", "",
           "| case | median | min – max | runs | peak RSS (tree) | CPU (tree, median) |", "|---|---:|---:|---:|---:|---:|"]
    for label, what in CASES:
        r = by.get(label)
        if not r:
            continue
        w = r["walls"]
        rss = [x for x in r["peak_rss_kib"] if x]
        cpu = r.get("cpu_s") or []
        out.append(f"| {what} | {med(w):.2f} s | {min(w):.2f} – {max(w):.2f} s | {len(w)} | "
                   + (f"{med(rss) / 1024:.0f} MiB (max {max(rss) / 1024:.0f})" if rss else "–")
                   + (f" | {med(cpu):.2f} s |" if cpu else " | – |"))
    out += ["", "| ratio (medians) | value | target |", "|---|---:|---|"]
    for num, den, target, what in RATIOS:
        if num in by and den in by:
            v = med(by[num]["walls"]) / med(by[den]["walls"])
            t = "" if target is None else f"≤ {target} ({'met' if v <= target else 'NOT met'})"
            out.append(f"| {what} | {v:.2f} | {t} |")
    def target(value, limit, unit, fmt):
        return f"{fmt.format(value)} {unit} | ≤ {limit} {unit} ({'met' if value <= limit else 'NOT met'})"
    if "pair-envs-1" in by and "pair-envs-20" in by:
        # each pair ran back to back: the difference within a pair cancels the machine's drift
        diffs = [(b - a) / 19 * 1000 for a, b in zip(by["pair-envs-1"]["walls"], by["pair-envs-20"]["walls"])]
        out.append(f"| marginal cost of an environment, (20 envs − 1 env) / 19, median of the pairs | "
                   + target(med(diffs), MARGINAL_MS, "ms", "{:.0f}") + " |")
        c1, c20 = by["pair-envs-1"].get("cpu_s") or [], by["pair-envs-20"].get("cpu_s") or []
        if c1 and len(c1) == len(c20):
            # CPU of java + kernel: what the wall time would be with a core always free (both
            # processes mostly take turns), so it shows the work under load, not the target itself
            cdiffs = [(b - a) / 19 * 1000 for a, b in zip(c1, c20)]
            out.append(f"| same in CPU time of the process tree (java + kernel), median of the pairs | {med(cdiffs):.0f} ms | |")
    for v, jars in (("new", "the project's jars"), ("old", "the OLD floor's jars")):
        a, b = f"pair-pf-{v}-1", f"pair-pf-{v}-20"
        if a in by and b in by:
            pf = [(y - x) / 19 * 1000 for x, y in zip(by[a]["walls"], by[b]["walls"])]
            c1, c20 = by[a].get("cpu_s") or [], by[b].get("cpu_s") or []
            cpu = f", CPU {med([(y - x) / 19 * 1000 for x, y in zip(c1, c20)]):.0f} ms" if c1 and len(c1) == len(c20) else ""
            out.append(f"| protocol floor of an env on {jars}: marginal cost, median of the pairs | "
                       f"{med(pf):.0f} ms{cpu} | the project's cost per env can go below {MARGINAL_MS} ms only if this does |")
    if "project-first-after-build" in by:
        first = max(by["project-first-after-build"]["peak_rss_kib"]) / 1048576
        out.append("| peak RSS, first synth after a build | " + target(first, FIRST_SYNTH_GIB, "GiB", "{:.2f}") + " |")
    if "build-cold" in by:
        r = by["build-cold"]
        out.append("| cold build, wall | " + target(med(r["walls"]), COLD_BUILD_S, "s", "{:.0f}") + " |")
        if any(r["peak_rss_kib"]):
            out.append("| cold build, peak RSS (tree) | "
                       + target(max(r["peak_rss_kib"]) / 1048576, COLD_BUILD_GIB, "GiB", "{:.2f}") + " |")
    if "mvn-package-warm" in by:
        out.append("| warm build, nothing changed | " + target(med(by["mvn-package-warm"]["walls"]), WARM_BUILD_S, "s", "{:.1f}") + " |")
    peaks = {l: max(by[l]["peak_rss_kib"]) / 1048576 for l in ("floor", "project", "envs-20") if l in by}
    if peaks:
        worst = max(peaks.values())
        out.append(f"| peak RSS, worst of floor/project/20 envs | {worst:.2f} GiB | ≤ {GIB} GiB "
                   f"({'met' if worst <= GIB else 'NOT met'}) |")
    phases = [(l, by[l]) for l in ("floor-phases", "project-phases", "envs-20-phases") if l in by]
    if phases:
        out += ["", "Phases (`BRIDGEAI_TIMINGS=1`): ms since JVM start at the end of each phase, median of the runs; "
                "`app` = jsii kernel started and cdktf loaded, the first `stack:*` includes loading provider-aws, "
                "`stack:gitops` includes loading the github, tls, kubernetes and helm packages.", ""]
        for label, r in phases:
            keys = []
            for t in r["timings"]:
                keys += [k for k in t if k not in keys]
            cells = []
            for k in keys:
                vals = [t[k] for t in r["timings"] if k in t]
                cells.append(f"{k} {med(vals):.0f}")
            if label == "envs-20-phases":  # 20 envs: the first env, then the rest
                cells = [c for c in cells if not c.startswith(("stack:",))]
            out.append(f"- {label.replace('-phases', '')}: " + " · ".join(cells))
    out += ["",
            f"Settings the synth runs with (read back from a JVM started by bin/synth): JVM `{meta['jvm_args']}` "
            f"plus `-XX:SharedArchiveFile=src/target/cds/<main>-<key>.jsa` once the archive exists; "
            f"GC {meta['jvm_gc']}, max heap {meta['jvm_max_heap_mib']} MiB (JVM default: 1/4 of RAM). "
            f"jsii kernel: `NODE_OPTIONS={meta['node_options'] or '(none)'}`, V8 heap limit {meta['node_heap_mib']} MiB "
            "(node's default; jsii-runtime passes no heap flag).",
            "", END]
    return "\n".join(out) + "\n"


def splice(path, table):
    try:
        text = open(path).read()
    except FileNotFoundError:
        text = "# Benchmarks\n\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + table.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + table
    open(path, "w").write(text)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "--line":
        for line in sys.stdin:
            print("   " + summary(json.loads(line)), file=sys.stderr)
    elif mode == "--markdown":
        results = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
        sys.stdout.write(markdown(results, json.load(open(sys.argv[3]))))
    elif mode == "--splice":
        splice(sys.argv[2], open(sys.argv[3]).read())
    else:
        raise SystemExit(f"report.py: unknown mode {mode}")
