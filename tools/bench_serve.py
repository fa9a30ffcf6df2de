#!/usr/bin/env python3
"""Load test of `wordshift serve` against a FastAPI/uvicorn + gensim peer (issue 14 §4).

Both servers answer `GET /api/nearest?word=W&k=10` from the same vectors: Wordshift from a
store, the peer (tools/serve_peer/gensim_app.py, uvicorn with one worker per core, norms
computed at start-up) from the same vectors exported as word2vec binary. Both listen on
loopback only. Debian's `wrk` drives them with the same settings, one concurrency level at a
time, Wordshift and the peer alternating, after a warm-up of each; every request asks for
another word (a seeded sample of the vocabulary), so no answer is cached anywhere.

    python3 tools/bench_serve.py --store STORE.sqlite --w2v VECTORS.bin \\
        [--duration 15] [--concurrency 1,8,64] [--out bench/serve/run-1.json] \\
        [--variant wordshift-exact=--exact --variant wordshift-hnsw=]

Each `--variant NAME=ARGS` starts one more Wordshift server on the same store with the extra
`serve` arguments ARGS (split on spaces); all servers of a run are up together and take turns
at every level. Without `--variant` there is one, named `wordshift`.
    python3 tools/bench_serve.py --summarize bench/serve/run-*.json   # mean ± sd table

The JSON records the command, the git commit, the date, the load average before and after,
the tool versions, each server's start-up time and resident memory, a check that both answer
the same neighbours, and wrk's counts and latency percentiles (µs) per server and level.
Note: wrk and both servers share the machine's cores, and wrk (not wrk2) measures latency
from when a request is sent, without correcting for coordinated omission.
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER_DIR = os.path.join(ROOT, "tools", "serve_peer")
LUA = os.path.join(PEER_DIR, "wrk_paths.lua")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def wait_ready(url, proc, limit=600):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if proc.poll() is not None:
            sys.exit(f"server exited with status {proc.returncode} before answering {url}")
        try:
            get_json(url, timeout=2)
            return time.monotonic() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
            time.sleep(0.1)
    sys.exit(f"{url} did not answer within {limit} s")


def rss_mb(pid):
    """Resident memory of a process and all its descendants, MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return round(total / 1024, 1)


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def version_of(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return None


def run_wrk(url, concurrency, duration, paths_file, timeout_s):
    threads = min(2, concurrency)
    cmd = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{duration}s",
           "--timeout", f"{timeout_s}s", "-s", LUA, url]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "WRK_PATHS": paths_file})
    if out.returncode != 0:
        sys.exit(f"wrk failed: {out.stderr}")
    m = re.search(r"^WRK_JSON (.*)$", out.stdout, re.M)
    if not m:
        sys.exit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    r = json.loads(m.group(1))
    r["wrk_command"] = " ".join(cmd)
    seconds = r["duration_us"] / 1e6
    r["requests_per_second"] = r["requests"] / seconds
    ok = r["requests"] - r["errors"]["status"]
    r["ok_requests_per_second"] = ok / seconds
    pct = r["latency_us"]["percentiles"]
    r["p50_ms"], r["p99_ms"] = pct["50"] / 1000, pct["99"] / 1000
    return r


def sample_words(store, n, seed):
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    words = [w for (w,) in con.execute("SELECT word FROM words ORDER BY id")]
    con.close()
    rng = random.Random(seed)
    return len(words), rng.sample(words, min(n, len(words)))


def bench(args):
    started = datetime.now(timezone.utc)
    load_start = loadavg()
    vocab, words = sample_words(args.store, args.words, args.seed)
    paths = tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False)
    for w in words:
        paths.write(f"/api/nearest?word={urllib.parse.quote(w, safe='')}&k={args.k}\n")
    paths.close()

    variants = args.variant or [("wordshift", [])]
    ports = {name: free_port() for name, _ in variants}
    peer_port = free_port()
    ws_cmds = {name: [args.wordshift, "serve", args.store, "--host", "127.0.0.1", "--port", str(ports[name]), "--quiet"] + extra
               for name, extra in variants}
    names = [name for name, _ in variants] + ["gensim"]
    peer_cmd = [sys.executable, "-m", "uvicorn", "gensim_app:app", "--app-dir", PEER_DIR,
                "--host", "127.0.0.1", "--port", str(peer_port), "--workers", str(args.peer_workers),
                "--log-level", "warning", "--no-access-log"]
    procs = {}
    result = {
        "command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]),
        "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cores": os.cpu_count(), "load_average_start": load_start,
                    "note": "wrk and the server under test share the same cores"},
        "versions": {
            "wordshift": version_of([args.wordshift, "--version"]),
            "wrk": version_of(["wrk", "--version"]),
            "python": sys.version.split()[0],
        },
        "settings": {"store": args.store, "w2v": args.w2v, "vocabulary": vocab, "query_words": len(words),
                     "seed": args.seed, "k": args.k, "duration_s": args.duration, "warmup_s": args.warmup,
                     "concurrency": args.concurrency, "wrk_threads": "min(2, connections)",
                     "wrk_timeout_s": args.timeout, "peer_workers": args.peer_workers,
                     "wordshift_commands": {n: " ".join(c) for n, c in ws_cmds.items()}, "peer_command": " ".join(peer_cmd),
                     "environment": {k: os.environ[k] for k in ("WORDSHIFT_OPENBLAS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS") if k in os.environ}},
        "servers": {},
        "runs": [],
    }
    for mod in ("gensim", "numpy", "fastapi", "uvicorn"):
        try:
            result["versions"][mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 (a missing module is recorded as such)
            result["versions"][mod] = None
    try:
        ready = {}
        for name, cmd in ws_cmds.items():
            procs[name] = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            ready[name] = wait_ready(f"http://127.0.0.1:{ports[name]}/health", procs[name])
        procs["gensim"] = subprocess.Popen(peer_cmd, env={**os.environ, "PEER_VECTORS": args.w2v},
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        peer_ready = wait_ready(f"http://127.0.0.1:{peer_port}/health", procs["gensim"])
        urls = {name: f"http://127.0.0.1:{ports[name]}" for name in ws_cmds}
        urls["gensim"] = f"http://127.0.0.1:{peer_port}"
        result["servers"] = {name: {"ready_s": round(ready[name], 2)} for name in ws_cmds}
        result["servers"]["gensim"] = {"ready_s_first_worker": round(peer_ready, 2)}
        # Same neighbours as the peer's (exact) answers? Identical top-k lists, and the mean share of
        # the peer's top-k found (recall@k against gensim's exact search) over 200 sampled words.
        result["agreement"] = {}
        for name in ws_cmds:
            same, found, checked = 0, 0, 0
            for w in words[:200]:
                q = urllib.parse.quote(w, safe="")
                a = [n["word"] for n in get_json(f"{urls[name]}/api/nearest?word={q}&k={args.k}")["neighbors"]]
                b = [n["word"] for n in get_json(f"{urls['gensim']}/api/nearest?word={q}&k={args.k}")["neighbors"]]
                checked += 1
                same += a == b
                found += len(set(a) & set(b))
            result["agreement"][name] = {"queries": checked, "identical_top_k": same,
                                         "recall_at_k_vs_peer": round(found / (checked * args.k), 4)}
        # Warm-up: every peer worker loaded, caches and JIT-free paths hot on every side.
        for name in names:
            run_wrk(urls[name], 8, args.warmup, paths.name, args.timeout)
        for name in names:
            result["servers"][name]["rss_mb_after_warmup"] = rss_mb(procs[name].pid)
        order = list(names)
        for c in args.concurrency:
            for name in order:
                r = run_wrk(urls[name], c, args.duration, paths.name, args.timeout)
                r.update(server=name, concurrency=c)
                result["runs"].append(r)
                print(f"{name:9s} c={c:3d}: {r['requests_per_second']:9.1f} req/s  p50 {r['p50_ms']:8.2f} ms  "
                      f"p99 {r['p99_ms']:8.2f} ms  errors {r['errors']}", file=sys.stderr)
            order.reverse()
        for name in names:
            result["servers"][name]["rss_mb_at_end"] = rss_mb(procs[name].pid)
    finally:
        for name, p in procs.items():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM if name == "gensim" else signal.SIGINT)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        os.unlink(paths.name)
    result["machine"]["load_average_end"] = loadavg()
    text = json.dumps(result, indent=1)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


def summarize(files):
    rows = {}
    for path in files:
        with open(path) as f:
            doc = json.load(f)
        for r in doc["runs"]:
            rows.setdefault((r["concurrency"], r["server"]), []).append(r)

    def ms(xs):
        m = statistics.mean(xs)
        sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
        return m, sd

    print(f"{len(files)} run(s): " + ", ".join(os.path.basename(p) for p in files))
    print("| clients | server | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|")
    servers = sorted({k[1] for k in rows}, key=lambda n: (n == "gensim", n))
    for c in sorted({k[0] for k in rows}):
        for name in servers:
            rs = rows.get((c, name), [])
            if not rs:
                continue
            rps, p50, p99 = (ms([r[k] for r in rs]) for k in ("requests_per_second", "p50_ms", "p99_ms"))
            errors = sum(sum(r["errors"].values()) for r in rs)
            print(f"| {c} | {name} | {rps[0]:,.1f} ± {rps[1]:,.1f} | {p50[0]:.2f} ± {p50[1]:.2f} | "
                  f"{p99[0]:.2f} ± {p99[1]:.2f} | {errors} |")
        ge = rows.get((c, "gensim"))
        for name in servers:
            ws = rows.get((c, name))
            if ws and ge and name != "gensim":
                ratio = statistics.mean(r["requests_per_second"] for r in ws) / statistics.mean(r["requests_per_second"] for r in ge)
                print(f"|  | ratio {name} / gensim | {ratio:.1f}× | | | |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="Wordshift store to serve")
    ap.add_argument("--w2v", help="the same vectors as word2vec binary, for the gensim peer")
    ap.add_argument("--wordshift", default=os.path.join(ROOT, ".build", "release", "wordshift"))
    ap.add_argument("--duration", type=int, default=15, help="seconds per level and server")
    ap.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per server (8 clients)")
    ap.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 64])
    ap.add_argument("--timeout", type=int, default=10, help="wrk's per-request timeout, seconds")
    ap.add_argument("--peer-workers", type=int, default=os.cpu_count() or 1, help="uvicorn workers (default: cores)")
    ap.add_argument("--words", type=int, default=20000, help="distinct query words (seeded sample)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--out", help="write the JSON here (default: stdout)")
    ap.add_argument("--variant", action="append", type=lambda s: (s.split("=", 1)[0], s.split("=", 1)[1].split() if "=" in s else []),
                    metavar="NAME=ARGS", help="one more Wordshift server NAME with extra serve ARGS (repeatable)")
    ap.add_argument("--summarize", nargs="+", metavar="JSON", help="print a mean ± sd table of earlier runs")
    args = ap.parse_args()
    if args.summarize:
        summarize(args.summarize)
        return
    if not args.store or not args.w2v:
        ap.error("--store and --w2v are required")
    for path in (args.store, args.w2v, args.wordshift):
        if not os.path.exists(path):
            ap.error(f"{path} does not exist")
    bench(args)


if __name__ == "__main__":
    main()
