#!/usr/bin/env python3
"""Approximate nearest neighbours: wordshift's HNSW index against hnswlib (and faiss HNSW) on
the same vectors, same queries, same M / ef_construction / threads, ann-benchmarks style.

Queries: --queries words drawn with --seed from the store (their own row is left out of their
answers on every side: k+1 asked, the query's row dropped). Ground truth: exact cosine top-k
(numpy, float32) on the store's unit vectors. Each side is a separate process timed in
process (build: graph construction only; queries: one batch call per ef and thread count),
its peak RSS taken from wait4. The raw numbers of every run go to --out.

Peers outside HNSW (issue 13 §4), each in its own child process on the same queries and truth:
- faiss-ivfpq: faiss.IndexIVFPQ as a faiss user sets it up for n rows (the faiss wiki's
  nlist ≈ 4·√n, here rounded to a power of two: 2,048 for 400k; 1,024 for 50k), 8-bit
  subquantizers of 3 values (d/3, else d/4: wordshift's pq store rule, so 100 code bytes per
  300-d row like `wordshift quantize --to pq`), trained on a seeded sample of 64·nlist rows
  (at most all; faiss's k-means seeded too), then every row added. L2 on the unit vectors
  (same ranking as cosine): faiss's residual PQ is built for L2 and on the 50k × 100 smoke store
  it recalled 0.47 against 0.24 with METRIC_INNER_PRODUCT when probing every list. One batch
  search per nprobe and thread count; build_seconds = train + add; index_bytes =
  faiss.serialize_index. PQ codes alone cap recall, so faiss users re-rank: each
  --ivfpq-refine factor f > 0 adds a curve where IndexRefineFlat (index_factory's "RFlat")
  rescores the f·(k+1) best by PQ distance on the float32 vectors (index_bytes_with_refine
  counts that copy); f = 0 is the plain IVF-PQ curve.
- sqlite-vec: the float32 rows in a vec0 virtual table (`embedding float[d]
  distance_metric=cosine`) in an on-disk database; build_seconds = inserting every row in one
  transaction; index_bytes = the database file. Queries are one `WHERE embedding MATCH ? AND
  k = k+1` statement each, on one thread (SQLite runs a statement on one thread): brute force
  over float32, so its recall is that of exact search, as measured. It needs a SQLite wrapper
  that loads extensions: the standard library's sqlite3 if built so, else apsw (pip).
Their points carry their own settings (nprobe, refine_k_factor; threads) instead of ef.
Peer packages: pip install hnswlib faiss-cpu sqlite-vec apsw (tried with 0.8.0, 1.15.1, 0.1.9, 3.54.1.0).

  tools/bench_ann.py --store S.sqlite --wordshift .build/release/wordshift --out bench/ann/X.json
"""
import argparse, json, math, os, platform, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_vectors import read_store  # noqa: E402


def load_units(store):
    words, _, units = read_store(store)
    return words, units


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
    if args.peer in ("faiss-ivfpq", "sqlite-vec"):
        pass
    elif args.peer == "hnswlib":
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
    if args.peer == "faiss-ivfpq":
        return ivfpq_peer(args, units, rows, truth, q, out)
    if args.peer == "sqlite-vec":
        return sqlite_vec_peer(args, units, rows, truth, q, out)
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


def default_subquantizers(dim):
    """`wordshift quantize --to pq`'s rule: subvectors of 3 values (100 code bytes per 300-d row), else 4."""
    for width in (3, 4):
        if dim % width == 0:
            return dim // width
    return min((m for m in range(1, dim + 1) if dim % m == 0), key=lambda m: abs(m - dim / 3))


def ivfpq_peer(args, units, rows, truth, q, out):
    """faiss IndexIVFPQ: train on a seeded sample, add every row, one batch search per nprobe
    (and per re-ranking factor: IndexRefineFlat over the same trained IVF-PQ index)."""
    import faiss
    n, dim = units.shape
    k = args.k
    nlist = args.ivfpq_nlist or 2 ** round(math.log2(4 * math.sqrt(n)))
    m = args.ivfpq_m or default_subquantizers(dim)
    train_rows = min(n, args.ivfpq_train or 64 * nlist)
    l2 = args.ivfpq_metric == "l2"
    faiss.omp_set_num_threads(args.build_threads)
    coarse = faiss.IndexFlatL2(dim) if l2 else faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFPQ(coarse, dim, nlist, m, 8, faiss.METRIC_L2 if l2 else faiss.METRIC_INNER_PRODUCT)
    index.cp.seed = args.seed
    index.pq.cp.seed = args.seed
    sample = units[np.sort(np.random.default_rng(args.seed).choice(n, size=train_rows, replace=False))]
    t = time.perf_counter()
    index.train(sample)
    train_seconds = time.perf_counter() - t
    del sample
    t = time.perf_counter()
    index.add(units)
    add_seconds = time.perf_counter() - t
    out.update({"versions": {"faiss": faiss.__version__}, "metric": args.ivfpq_metric, "nlist": nlist, "subquantizers": m,
                "bits": 8, "code_bytes_per_row": index.code_size, "train_rows": train_rows,
                "coarse_iterations": index.cp.niter, "pq_iterations": index.pq.cp.niter,
                "use_precomputed_table": int(index.use_precomputed_table),
                "train_seconds": train_seconds, "add_seconds": add_seconds, "build_seconds": train_seconds + add_seconds,
                "index_bytes": int(faiss.serialize_index(index).size)})
    refine = None
    if any(f > 0 for f in args.ivfpq_refine):
        # Exact re-ranking: the IVF-PQ shortlist of k_factor · (k + 1) rows is rescored on a flat
        # float32 copy of the vectors (what index_factory's "IVF…,PQ…,RFlat" builds).
        refine = faiss.IndexRefineFlat(index, faiss.swig_ptr(units))
        out["index_bytes_with_refine"] = int(faiss.serialize_index(refine).size)

    def search(nprobe, factor, threads):
        faiss.omp_set_num_threads(threads)
        index.nprobe = nprobe
        if factor > 0:
            refine.k_factor = factor
        t = time.perf_counter()
        _, labels = (refine if factor > 0 else index).search(q, k + 1)
        return labels, time.perf_counter() - t
    for threads in args.threads:
        for factor in args.ivfpq_refine:
            for nprobe in args.nprobe:
                if nprobe > nlist:
                    continue
                best = None
                for _ in range(args.repeats):
                    labels, seconds = search(nprobe, factor, threads)
                    best = seconds if best is None else min(best, seconds)
                found = [[int(x) for x in row if x != r and x >= 0][:k] for row, r in zip(labels, rows)]
                out["points"].append({"threads": threads, "nprobe": nprobe, "refine_k_factor": factor,
                                      "recall": recall(found, truth.tolist()), "queries_per_second": len(rows) / best})
    print(json.dumps(out))


def vec_connect(path):
    """A connection with sqlite-vec loaded: the standard library's sqlite3 when it was built with
    extension loading, else apsw (its own SQLite; this machine's pyenv Python lacks
    enable_load_extension). Autocommit; returns (connection, wrapper name, SQLite version)."""
    import sqlite_vec
    db = sqlite3.connect(path, isolation_level=None)
    if hasattr(db, "enable_load_extension"):
        db.enable_load_extension(True)
        sqlite_vec.load(db)
        db.enable_load_extension(False)
        return db, "sqlite3", sqlite3.sqlite_version
    db.close()
    import apsw
    db = apsw.Connection(path)
    db.enable_load_extension(True)
    db.load_extension(sqlite_vec.loadable_path())
    db.enable_load_extension(False)
    return db, "apsw " + apsw.apsw_version(), apsw.sqlite_lib_version()


def sqlite_vec_peer(args, units, rows, truth, q, out):
    """sqlite-vec: a vec0 table of the float32 rows in an on-disk database, one KNN statement per
    query (brute force, one thread)."""
    import sqlite_vec
    k = args.k
    path = os.path.join(args.workdir, "sqlite-vec.sqlite")
    for suffix in ("", "-journal", "-wal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db, wrapper, version = vec_connect(path)
    metric = args.sqlite_vec_metric
    db.execute(f"CREATE VIRTUAL TABLE vec USING vec0(embedding float[{units.shape[1]}] distance_metric={metric})")
    t = time.perf_counter()
    db.execute("BEGIN")
    db.executemany("INSERT INTO vec(rowid, embedding) VALUES (?, ?)", ((i + 1, units[i].tobytes()) for i in range(len(units))))
    db.execute("COMMIT")
    out["build_seconds"] = time.perf_counter() - t
    out.update({"versions": {"sqlite_vec": db.execute("SELECT vec_version()").fetchone()[0], "sqlite": version, "wrapper": wrapper},
                "metric": metric, "vector_type": "float32", "k_asked": k + 1, "index_bytes": os.path.getsize(path)})
    out["index_bytes_without_vectors"] = out["index_bytes"] - units.nbytes
    blobs = [v.tobytes() for v in q]
    sql = "SELECT rowid FROM vec WHERE embedding MATCH ? AND k = ?"
    best = None
    for _ in range(args.repeats):
        t = time.perf_counter()
        labels = [[rowid - 1 for (rowid,) in db.execute(sql, (b, k + 1))] for b in blobs]
        seconds = time.perf_counter() - t
        best = seconds if best is None else min(best, seconds)
    found = [[x for x in row if x != r][:k] for row, r in zip(labels, rows)]
    out["points"].append({"threads": 1, "recall": recall(found, truth.tolist()), "queries_per_second": len(rows) / best})
    db.close()
    os.remove(path)
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
    ap.add_argument("--peers", nargs="+", default=["wordshift", "hnswlib"], choices=["wordshift", "hnswlib", "faiss", "faiss-ivfpq", "sqlite-vec"])
    ap.add_argument("--nprobe", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32, 64, 128], help="faiss-ivfpq: lists probed per query")
    ap.add_argument("--ivfpq-nlist", type=int, default=0, help="faiss-ivfpq: inverted lists (default: 4·√rows, nearest power of two)")
    ap.add_argument("--ivfpq-m", type=int, default=0, help="faiss-ivfpq: subquantizers of 8 bits (default: dimension / 3, else / 4)")
    ap.add_argument("--ivfpq-train", type=int, default=0, help="faiss-ivfpq: training sample rows (default: 64 · nlist, at most all)")
    ap.add_argument("--ivfpq-metric", choices=["l2", "ip"], default="l2", help="faiss-ivfpq: metric on the unit vectors")
    ap.add_argument("--ivfpq-refine", type=int, nargs="+", default=[0, 10],
                    help="faiss-ivfpq: re-ranking factors (0: none; f: exact rescoring of the f·(k+1) best by PQ)")
    ap.add_argument("--sqlite-vec-metric", choices=["cosine", "l2"], default="cosine")
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
    if "faiss-ivfpq" in args.peers:
        result["nprobe"] = args.nprobe
        result["ivfpq_refine"] = args.ivfpq_refine
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
                                            "--threads"] + [str(t) for t in args.threads] + ["--ef"] + [str(e) for e in args.ef]
                                           + ["--nprobe"] + [str(n) for n in args.nprobe] + ["--ivfpq-refine"]
                                           + [str(f) for f in args.ivfpq_refine]
                                           + ["--ivfpq-nlist", str(args.ivfpq_nlist), "--ivfpq-m", str(args.ivfpq_m),
                                              "--ivfpq-train", str(args.ivfpq_train), "--ivfpq-metric", args.ivfpq_metric,
                                              "--sqlite-vec-metric", args.sqlite_vec_metric])
                entry = json.loads(out)
                result["versions"].update(entry.pop("versions", {}))
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
            # the point's settings (threads, ef; nprobe, refine_k_factor for faiss-ivfpq; threads for sqlite-vec)
            s["points"].append(dict({key: v for key, v in pt.items() if key not in ("recall", "queries_per_second")},
                                    recall=summarize([r["points"][i]["recall"] for r in runs]),
                                    queries_per_second=summarize([r["points"][i]["queries_per_second"] for r in runs])))
        summary[p] = s
    result["summary"] = summary
    result["load_average_end"] = os.getloadavg()[0]
    text = json.dumps(result, indent=1)
    if args.out:
        open(args.out, "w").write(text + "\n")
    for p, s in summary.items():
        print(f"{p}: build {s['build_seconds']['mean']:.1f} ± {s['build_seconds']['sd']:.1f} s, index {s['index_bytes'] / 2**20:.1f} MiB")
        for pt in s["points"]:
            setting = " ".join(f"{key} {v:4d}" for key, v in pt.items() if key not in ("threads", "recall", "queries_per_second"))
            print(f"  t{pt['threads']}{' ' + setting if setting else ''}: recall {pt['recall']['mean']:.4f}  "
                  f"{pt['queries_per_second']['mean']:9.0f} ± {pt['queries_per_second']['sd']:.0f} q/s")


if __name__ == "__main__":
    main()
