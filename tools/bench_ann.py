#!/usr/bin/env python3
"""Approximate nearest neighbours: wordshift's HNSW index against hnswlib (and faiss HNSW) on
the same vectors, same queries, same M / ef_construction / threads, ann-benchmarks style.

Queries: --queries words drawn with --seed from the store (their own row is left out of their
answers on every side: k+1 asked, the query's row dropped). Ground truth: exact cosine top-k
(numpy, float32) on the store's unit vectors. Each side is a separate process timed in
process (build: graph construction only; queries: one batch call per ef and thread count),
its peak RSS taken from wait4. The raw numbers of every run go to --out.

  tools/bench_ann.py --store S.sqlite --wordshift .build/release/wordshift --out bench/ann/X.json
"""
import argparse, json, os, platform, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

import numpy as np


def load_units(store):
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    dim = int(db.execute("SELECT value FROM meta WHERE key='dimension'").fetchone()[0])
    words = [w for (w,) in db.execute("SELECT word FROM words ORDER BY id")]
    blob = b"".join(v for (v,) in db.execute("SELECT vector FROM vectors ORDER BY id"))
    units = np.frombuffer(blob, dtype="<f4").reshape(len(words), dim)
    return words, np.ascontiguousarray(units)


def run_child(cmd):
    """Runs cmd under /usr/bin/time (a fresh process: Linux children inherit the parent's peak
    RSS, so the parent's own figure would leak in), returns (stdout, wall seconds, peak RSS MiB)."""
    fd, rss_file = tempfile.mkstemp(prefix="rss-")
    os.close(fd)
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, capture_output=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}")
    rss = int(open(rss_file).read().split()[-1]) / 1024
    os.remove(rss_file)
    return p.stdout.decode(), wall, rss


def recall(found, truth):
    hits = sum(len(set(f) & set(t)) for f, t in zip(found, truth))
    return hits / sum(len(t) for t in truth)


def peer(args):
    """Child process: build one peer's index and time its queries; prints JSON."""
    words, units = load_units(args.store)
    rows = np.array(json.load(open(args.query_rows)), dtype=np.int64)
    truth = np.load(args.truth)
    q = units[rows]
    k = args.k
    out = {"peer": args.peer, "points": []}
    if args.peer == "hnswlib":
        import hnswlib
        index = hnswlib.Index(space="ip", dim=units.shape[1])
        index.init_index(max_elements=len(units), M=args.m, ef_construction=args.ef_construction, random_seed=args.seed)
        index.set_num_threads(args.build_threads)
        t = time.perf_counter()
        index.add_items(units, np.arange(len(units)), num_threads=args.build_threads)
        out["build_seconds"] = time.perf_counter() - t
        path = os.path.join(args.workdir, "hnswlib.bin")
        index.save_index(path)
        out["index_bytes"] = os.path.getsize(path)
        out["index_bytes_without_vectors"] = out["index_bytes"] - units.nbytes
        os.remove(path)

        def search(ef, threads):
            index.set_ef(ef)
            t = time.perf_counter()
            labels, _ = index.knn_query(q, k=k + 1, num_threads=threads)
            return labels, time.perf_counter() - t
    else:
        import faiss
        faiss.omp_set_num_threads(args.build_threads)
        index = faiss.IndexHNSWFlat(units.shape[1], args.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = args.ef_construction
        t = time.perf_counter()
        index.add(units)
        out["build_seconds"] = time.perf_counter() - t
        path = os.path.join(args.workdir, "faiss.bin")
        faiss.write_index(index, path)
        out["index_bytes"] = os.path.getsize(path)
        out["index_bytes_without_vectors"] = out["index_bytes"] - units.nbytes
        os.remove(path)

        def search(ef, threads):
            faiss.omp_set_num_threads(threads)
            index.hnsw.efSearch = ef
            t = time.perf_counter()
            _, labels = index.search(q, k + 1)
            return labels, time.perf_counter() - t
    for threads in args.threads:
        for ef in args.ef:
            best = None
            for _ in range(args.repeats):
                labels, seconds = search(max(ef, k + 1), threads)
                best = seconds if best is None else min(best, seconds)
            found = [[int(x) for x in row if x != r][:k] for row, r in zip(labels, rows)]
            out["points"].append({"threads": threads, "ef": ef, "recall": recall(found, truth.tolist()),
                                  "queries_per_second": len(rows) / best})
    print(json.dumps(out))


def summarize(values):
    return {"mean": statistics.mean(values), "sd": statistics.stdev(values) if len(values) > 1 else 0.0, "runs": values}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    ap.add_argument("--wordshift", default=".build/release/wordshift")
    ap.add_argument("--out")
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=100)
    ap.add_argument("--build-threads", type=int, default=2)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--ef", type=int, nargs="+", default=[10, 20, 40, 80, 160, 320])
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=2, help="builds per side (each followed by its query curves)")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per query point; the fastest is kept")
    ap.add_argument("--peers", nargs="+", default=["wordshift", "hnswlib"], choices=["wordshift", "hnswlib", "faiss"])
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--keep-store", help="keep the last indexed wordshift store here (for tools/bench_ann_ready.py)")
    # child mode
    ap.add_argument("--peer", help=argparse.SUPPRESS)
    ap.add_argument("--query-rows", help=argparse.SUPPRESS)
    ap.add_argument("--truth", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer:
        return peer(args)

    workdir = args.workdir or tempfile.mkdtemp(prefix="bench-ann-")
    os.makedirs(workdir, exist_ok=True)
    words, units = load_units(args.store)
    rng = np.random.default_rng(args.seed)
    rows = sorted(rng.choice(len(words), size=min(args.queries, len(words)), replace=False).tolist())
    # Exact ground truth: k best other rows by cosine (unit vectors: dot product).
    truth = []
    for s in range(0, len(rows), 256):
        block = rows[s:s + 256]
        scores = units[block] @ units.T
        for i, r in enumerate(block):
            scores[i, r] = -np.inf
        top = np.argpartition(-scores, args.k, axis=1)[:, :args.k]
        for i in range(len(block)):
            order = top[i][np.argsort(-scores[i, top[i]])]
            truth.append(order.tolist())
    rows_path = os.path.join(workdir, "rows.json"); json.dump(rows, open(rows_path, "w"))
    truth_path = os.path.join(workdir, "truth.npy"); np.save(truth_path, np.array(truth))
    words_path = os.path.join(workdir, "queries.txt")
    with open(words_path, "w") as f:
        for r in rows:
            f.write(words[r] + "\n")
    del units

    result = {"store": args.store, "rows": len(words), "queries": len(rows), "k": args.k, "m": args.m,
              "ef_construction": args.ef_construction, "build_threads": args.build_threads, "query_threads": args.threads,
              "ef": args.ef, "seed": args.seed, "command": " ".join(sys.argv),
              "commit": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": platform.platform(),
              "cpus": os.cpu_count(), "load_average_start": os.getloadavg()[0], "runs": []}
    import hnswlib
    result["versions"] = {"hnswlib": getattr(hnswlib, "__version__", "?"), "numpy": np.__version__}
    for run in range(args.runs):
        for p in args.peers:
            if p == "wordshift":
                copy = os.path.join(workdir, "store.sqlite")
                shutil.copyfile(args.store, copy)
                out, wall, rss = run_child([args.wordshift, "index", "build", copy, "--m", str(args.m),
                                            "--ef-construction", str(args.ef_construction),
                                            "--threads", str(args.build_threads), "--seed", str(args.seed + run), "--json", "-q"])
                b = json.loads(out)
                entry = {"peer": "wordshift", "run": run, "build_seconds": b["buildSeconds"], "load_seconds": b["loadSeconds"],
                         "save_seconds": b["saveSeconds"], "index_bytes": b["bytes"], "build_process_seconds": wall,
                         "build_peak_rss_mib": rss, "store_bytes_with_index": os.path.getsize(copy),
                         "store_bytes_without_index": os.path.getsize(args.store), "points": []}
                for threads in args.threads:
                    best = {}
                    for _ in range(args.repeats):
                        out, wall, rss = run_child([args.wordshift, "index", "check", copy, "--queries", words_path, "-k", str(args.k),
                                                    "--threads", str(threads), "--json", "-q", "--ef"] + [str(e) for e in args.ef])
                        c = json.loads(out)
                        entry.setdefault("query_peak_rss_mib", rss)
                        for pt in c["points"]:
                            old = best.get(pt["ef"])
                            if old is None or pt["queriesPerSecond"] > old["queries_per_second"]:
                                best[pt["ef"]] = {"threads": threads, "ef": pt["ef"], "recall": pt["recall"],
                                                  "queries_per_second": pt["queriesPerSecond"]}
                        entry.setdefault("exact_queries_per_second", {})[str(threads)] = c["exactQueriesPerSecond"]
                    entry["points"] += [best[e] for e in args.ef]
                if args.keep_store:
                    shutil.move(copy, args.keep_store)
                else:
                    os.remove(copy)
            else:
                out, wall, rss = run_child([sys.executable, __file__, "--peer", p, "--store", args.store, "--query-rows", rows_path,
                                            "--truth", truth_path, "--m", str(args.m), "--ef-construction", str(args.ef_construction),
                                            "--build-threads", str(args.build_threads), "--seed", str(args.seed + run),
                                            "--k", str(args.k), "--repeats", str(args.repeats), "--workdir", workdir,
                                            "--threads"] + [str(t) for t in args.threads] + ["--ef"] + [str(e) for e in args.ef])
                entry = json.loads(out)
                entry.update({"run": run, "process_seconds": wall, "peak_rss_mib": rss})
            result["runs"].append(entry)
            print(json.dumps({k: v for k, v in entry.items() if k != "points"}), file=sys.stderr)
            if args.out:  # partial results survive an interrupted run
                open(args.out, "w").write(json.dumps(dict(result, partial=True), indent=1) + "\n")
    # Summary: build time and q/s at each point, mean ± sd over runs.
    summary = {}
    for p in args.peers:
        runs = [r for r in result["runs"] if r["peer"] == p]
        s = {"build_seconds": summarize([r["build_seconds"] for r in runs]), "index_bytes": runs[0]["index_bytes"], "points": []}
        for i, pt in enumerate(runs[0]["points"]):
            s["points"].append({"threads": pt["threads"], "ef": pt["ef"],
                                "recall": summarize([r["points"][i]["recall"] for r in runs]),
                                "queries_per_second": summarize([r["points"][i]["queries_per_second"] for r in runs])})
        summary[p] = s
    result["summary"] = summary
    result["load_average_end"] = os.getloadavg()[0]
    text = json.dumps(result, indent=1)
    if args.out:
        open(args.out, "w").write(text + "\n")
    for p, s in summary.items():
        print(f"{p}: build {s['build_seconds']['mean']:.1f} ± {s['build_seconds']['sd']:.1f} s, index {s['index_bytes'] / 2**20:.1f} MiB")
        for pt in s["points"]:
            print(f"  t{pt['threads']} ef {pt['ef']:4d}: recall {pt['recall']['mean']:.4f}  "
                  f"{pt['queries_per_second']['mean']:9.0f} ± {pt['queries_per_second']['sd']:.0f} q/s")


if __name__ == "__main__":
    main()
