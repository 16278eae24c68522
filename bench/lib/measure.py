#!/usr/bin/env python3
"""Runs a command N times; prints one JSON line: wall seconds of each run, the peak RSS of
its whole process tree (java + the node jsii kernel, plus jsii's launcher process when used), summed at each sample,
and the CPU seconds (user + system) of that tree: on a machine shared with other work the wall time
grows with the load (waiting for a core), the CPU time much less.

GNU time's %M is the peak of the largest single process, not of the tree, hence /proc sampling.
Sampling every 50 ms costs a few ms of CPU per second on one core (a /proc scan).

usage: measure.py --runs N [--label L] [--env K=V ...] [--cwd DIR] -- cmd args...
"""
import argparse, json, os, subprocess, sys, time


def proc_table():
    """pid -> (ppid, rss_kib, cpu_ticks) for every visible process."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{name}/statm", "rb") as f:
                rss_pages = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # exited between listdir and open
        # the command name (field 2) may contain spaces and ')': split after the last ')'
        fields = stat[stat.rindex(b")") + 2:].split()
        # fields[11], fields[12]: utime, stime (fields 14 and 15 of proc(5)), in clock ticks
        table[int(name)] = (int(fields[1]), rss_pages * PAGE_KIB, int(fields[11]) + int(fields[12]))
    return table


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")


def tree_pids(root, table):
    children = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            out.append(pid)
        stack.extend(children.get(pid, ()))
    return out


def tree_rss(root, table):
    return sum(table[pid][1] for pid in tree_pids(root, table))


def run_once(cmd, env, cwd, interval, quiet):
    out = subprocess.DEVNULL if quiet else None
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    peak = 0
    import resource, threading
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    err = []
    reader = threading.Thread(target=lambda: err.append(p.stderr.read()), daemon=True)
    reader.start()
    cpu_seen = {}  # pid -> last CPU ticks seen, for processes that are not waited for (re-parented)
    while p.poll() is None:
        table = proc_table()
        pids = tree_pids(p.pid, table)
        peak = max(peak, sum(table[pid][1] for pid in pids))
        for pid in pids:
            cpu_seen[pid] = table[pid][2]
        time.sleep(interval)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # what the finished tree reported to its waiting parents; processes nobody waited for
    # (none in a normal synth) count with their last sample instead
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    sampled = sum(cpu_seen.values()) / TICKS
    cpu = max(waited, sampled)
    reader.join()
    stderr = (err[0] if err else b"").decode(errors="replace")
    if p.returncode != 0:
        sys.stderr.write(stderr)
        raise SystemExit(f"measure: {' '.join(cmd)} exited with {p.returncode}")
    return wall, peak, stderr, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=0, help="unmeasured runs first")
    ap.add_argument("--label", default="")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--cwd")
    ap.add_argument("--interval", type=float, default=0.05)
    ap.add_argument("--no-rss", action="store_true", help="no sampling (long non-JVM commands)")
    ap.add_argument("--show-output", action="store_true")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    env = dict(os.environ)
    for kv in a.env:
        k, _, v = kv.partition("=")
        env[k] = v
    interval = 3600 if a.no_rss else a.interval
    for _ in range(a.warmup):
        run_once(cmd, env, a.cwd, interval if not a.no_rss else 0.2, not a.show_output)
    walls, peaks, timings, cpus = [], [], [], []
    for _ in range(a.runs):
        if a.no_rss:
            t0 = time.monotonic()
            quiet = not a.show_output  # output kept for a failure report only
            p = subprocess.run(cmd, env=env, cwd=a.cwd, stdout=subprocess.PIPE if quiet else None,
                               stderr=subprocess.STDOUT if quiet else None)
            if p.returncode != 0:
                sys.stderr.write((p.stdout or b"").decode(errors="replace")[-20000:])
                raise SystemExit(f"measure: {' '.join(cmd)} exited with {p.returncode}")
            walls.append(time.monotonic() - t0)
            peaks.append(0)
            continue
        wall, peak, stderr, cpu = run_once(cmd, env, a.cwd, interval, not a.show_output)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        # BRIDGEAI_TIMINGS=1 phase lines ("bridgeai-timing <phase> <ms>") are collected per run
        timings.append({l.split()[1]: float(l.split()[2]) for l in stderr.splitlines()
                        if l.startswith("bridgeai-timing ") and len(l.split()) >= 3})
    print(json.dumps({"label": a.label, "walls": walls, "peak_rss_kib": peaks, "timings": timings, "cpu_s": cpus}),
          flush=True)


if __name__ == "__main__":
    main()
