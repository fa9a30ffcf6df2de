#!/usr/bin/env python3
"""Timed product-quantization figures (issue 13 §2), for a quiet machine (`/work/team/cpu bench`):
nearest-10 latency and recall@10 of single queries on a pq store against exact float32 search
(`wordshift evaluate recall`, 1,000 words sampled with seed 1, 1 and 2 threads per query, both
sides in the same process), then the wall time of `wordshift quantize --to pq` (learning the
codebooks and encoding every row). Load average recorded before and after.

  tools/bench_pq_timed.py --wordshift BIN --store F32.sqlite --pq PQ.sqlite [--pq-plain PLAIN.sqlite] \\
      [--quantize-runs 1] --workdir DIR --out bench/ann/pq-timed-400k-300d.json
"""
import argparse, json, os, subprocess, sys, time


def run(cmd):
    started = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return json.loads(p.stdout), time.time() - started


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wordshift", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--pq", required=True)
    ap.add_argument("--pq-plain")
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--quantize-runs", type=int, default=1)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    ws = a.wordshift
    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "commit": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
              "loadavg_before": os.getloadavg(), "recall": {}, "quantize": []}
    stores = {"pq": a.pq}
    if a.pq_plain:
        stores["pq-plain"] = a.pq_plain
    for name, path in stores.items():
        for t in (a.threads if name == "pq" else a.threads[:1]):
            r, wall = run([ws, "evaluate", "recall", path, "--reference", a.store, "--sample", "1000", "--seed", "1",
                           "-k", "10", "--threads", str(t), "--json", "-q"])
            r["process_wall_seconds"] = wall
            result["recall"][f"{name}-t{t}"] = r
            print(name, t, r["recall"], round(r["secondsPerQuery"] * 1000, 3), "ms vs", round(r["referenceSecondsPerQuery"] * 1000, 3), file=sys.stderr)
    for i in range(a.quantize_runs):
        out = os.path.join(a.workdir, f"timed-quantize-{i}.sqlite")
        q, wall = run([ws, "quantize", a.store, "--to", "pq", "--out", out, "--force", "--json", "-q"])
        q["process_wall_seconds"] = wall
        result["quantize"].append(q)
        print("quantize", round(wall, 1), "s", file=sys.stderr)
    result["loadavg_after"] = os.getloadavg()
    open(a.out, "w").write(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
