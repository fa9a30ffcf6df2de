#!/usr/bin/env python3
"""Load/query benchmark: Wordshift against gensim 4.4, measured in the same run.

Peer-comparison tooling only; the Wordshift product never depends on Python.

Usage (from the repo root; see also tools/bench-vectors.sh):

    python3 tools/bench_vectors.py                      # full 400,000 x 300 run
    python3 tools/bench_vectors.py --rows 20000         # quick smoke run
    python3 tools/bench_vectors.py --gensim-only        # skip the Wordshift side
    python3 tools/bench_vectors.py --skip-gensim-text   # reuse last gensim text-load time

Synthetic vectors (generator version GENERATOR_VERSION, see generate()):
  * vectors: numpy.random.default_rng(1).standard_normal((rows, 300), dtype=float32)
  * words: drawn from the same generator after the vectors: lengths uniform in 3..12,
    letters uniform a..z; about 10 % get a numeric suffix 0..999; duplicates are made
    unique by appending the row index (then 'q' until unique). Row order = generation order.
  * text file  bench-out/synth-<rows>x<dim>-<ver>.txt : word2vec text, header "N D\\n",
    then "word v1 ... vD\\n"; every value is '%.6g' of the float32 value (so the text
    values are the binary values rounded to 6 significant digits; fastText writes 5).
  * binary file bench-out/synth-<rows>x<dim>-<ver>.bin : header "N D\\n", then per row
    word + b" " + D little-endian float32 + b"\\n" (the word2vec C tool layout).
  * a .meta.json sidecar records version/rows/dim/sizes; files are regenerated only if
    it is missing or different.

gensim side (every operation in a fresh subprocess so that peak RSS is per operation;
RSS = resource.getrusage(RUSAGE_SELF).ru_maxrss of that subprocess, so it includes the
interpreter + numpy + gensim imports, about 100 MB):
  * load_word2vec_format text: 1 run (about 130 s at 400k; --skip-gensim-text reuses the
    value of the newest earlier bench-out/vectors-*.json, marked "reused_from")
  * load_word2vec_format binary: --runs runs (default 3), median
  * query process (loads the binary file first): most_similar(topn=10) first call (it
    computes the norms), then 5 warm-ups and the median of 50 calls over different words;
    kv[word] lookup median; a batch of 1000 words as one product
    np.dot(query_unit_matrix, kv.get_normed_vectors().T) + argpartition top-10 per row
    (then the 10 sorted), reported as queries/s.
  * open_and_lookup: KeyedVectors.load(native .kv, mmap='r') + one kv[word] (the gensim way
    to open a saved set quickly; the .kv is written once into bench-out/).

Wordshift side (binaries default to .build/release/{wordshift,wordshift-bench}):
  * `wordshift import FILE --out STORE --quiet`, wall clock, --runs runs each for text and
    binary (store deleted between runs), peak RSS via /usr/bin/time -f %M
  * `wordshift-bench query STORE --queries 50 --warmup 5 --batch 1000 --json` on the store
    imported from the binary file.

Output: bench-out/vectors-<date>.json and a markdown table on stdout. The ratio column is
gensim/wordshift for times (and wordshift/gensim for throughputs): > 1 means Wordshift is
faster. Peak-RSS rows use gensim/wordshift too (> 1 means Wordshift uses less memory).
"""

import argparse
import datetime as _dt
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

GENERATOR_VERSION = "v1"
SEED = 1
QUERY_SEED = 20251124
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# --------------------------------------------------------------------------- generation

def make_words(rng, n):
    import numpy as np
    lengths = rng.integers(3, 13, size=n)
    letters = rng.integers(0, 26, size=(n, 12), dtype=np.uint8) + ord("a")
    suffixed = rng.random(n) < 0.10
    suffixes = rng.integers(0, 1000, size=n)
    raw = letters.tobytes()
    words, seen = [], set()
    for i in range(n):
        w = raw[i * 12:i * 12 + int(lengths[i])].decode("ascii")
        if suffixed[i]:
            w += str(int(suffixes[i]))
        if w in seen:
            w = f"{w}{i}"
            while w in seen:
                w += "q"
        seen.add(w)
        words.append(w)
    return words


def _format_text_chunk(args):
    block, words = args
    fmt = " ".join(["%.6g"] * block.shape[1])
    rows = block.astype("float64").tolist()
    return "".join(f"{w} {fmt % tuple(r)}\n" for w, r in zip(words, rows)).encode("utf-8")


def paths_for(out_dir, rows, dim):
    base = os.path.join(out_dir, f"synth-{rows}x{dim}-{GENERATOR_VERSION}")
    return base + ".txt", base + ".bin", base + ".meta.json"


def generate(out_dir, rows, dim, log):
    """Write the text and binary files unless they already exist for this generator version."""
    import numpy as np
    txt, binf, meta = paths_for(out_dir, rows, dim)
    want = {"generator_version": GENERATOR_VERSION, "seed": SEED, "rows": rows, "dim": dim,
            "text_format": "%.6g"}
    if os.path.exists(meta) and os.path.exists(txt) and os.path.exists(binf):
        with open(meta) as f:
            have = json.load(f)
        if all(have.get(k) == v for k, v in want.items()) and \
                have.get("text_bytes") == os.path.getsize(txt) and \
                have.get("binary_bytes") == os.path.getsize(binf):
            log(f"reusing {txt} and {binf} (generator {GENERATOR_VERSION})")
            return txt, binf, have
    os.makedirs(out_dir, exist_ok=True)
    t0 = time.perf_counter()
    rng = np.random.default_rng(SEED)
    vecs = rng.standard_normal((rows, dim), dtype=np.float32)
    words = make_words(rng, rows)
    log(f"generated {rows}x{dim} in {time.perf_counter() - t0:.1f}s; writing binary")

    header = f"{rows} {dim}\n".encode("ascii")
    le = vecs.astype("<f4", copy=False)
    with open(binf + ".tmp", "wb") as f:
        f.write(header)
        chunk = 20000
        for s in range(0, rows, chunk):
            parts = []
            for i in range(s, min(rows, s + chunk)):
                parts.append(words[i].encode("utf-8") + b" " + le[i].tobytes() + b"\n")
            f.write(b"".join(parts))
    os.replace(binf + ".tmp", binf)
    log(f"binary written ({os.path.getsize(binf) / 1e6:.0f} MB); writing text")

    import multiprocessing as mp
    chunk = 10000
    jobs = ((vecs[s:s + chunk], words[s:s + chunk]) for s in range(0, rows, chunk))
    with open(txt + ".tmp", "wb") as f, mp.Pool(max(1, os.cpu_count() or 1)) as pool:
        f.write(header)
        for data in pool.imap(_format_text_chunk, jobs, chunksize=1):
            f.write(data)
    os.replace(txt + ".tmp", txt)
    info = dict(want, text_bytes=os.path.getsize(txt), binary_bytes=os.path.getsize(binf),
                generation_seconds=round(time.perf_counter() - t0, 1))
    with open(meta, "w") as f:
        json.dump(info, f, indent=1)
    log(f"text written ({info['text_bytes'] / 1e6:.0f} MB) in {info['generation_seconds']}s total")
    return txt, binf, info


# --------------------------------------------------------------------------- gensim workers

def _rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def worker(op, path, extra):
    """Runs inside a subprocess; prints one JSON object."""
    import numpy as np
    from gensim.models import KeyedVectors
    res = {"op": op}
    if op in ("load_text", "load_binary"):
        t0 = time.perf_counter()
        kv = KeyedVectors.load_word2vec_format(path, binary=(op == "load_binary"))
        res["seconds"] = time.perf_counter() - t0
        res["count"], res["dim"] = len(kv.index_to_key), kv.vector_size
    elif op == "query":
        batch = extra["batch"]
        kv = KeyedVectors.load_word2vec_format(path, binary=True)
        n = len(kv.index_to_key)
        rng = np.random.default_rng(QUERY_SEED)
        picks = rng.choice(n, size=1 + extra["warmup"] + extra["queries"], replace=False)
        words = [kv.index_to_key[i] for i in picks]
        t0 = time.perf_counter()
        kv.most_similar(words[0], topn=10)
        res["first_most_similar_ms"] = (time.perf_counter() - t0) * 1e3
        for w in words[1:1 + extra["warmup"]]:
            kv.most_similar(w, topn=10)
        times = []
        for w in words[1 + extra["warmup"]:]:
            t0 = time.perf_counter()
            kv.most_similar(w, topn=10)
            times.append((time.perf_counter() - t0) * 1e3)
        res["most_similar_ms_median"] = statistics.median(times)
        res["most_similar_ms_min"] = min(times)
        # single-word lookup
        lk = []
        for w in words:
            t0 = time.perf_counter()
            kv[w]
            lk.append((time.perf_counter() - t0) * 1e6)
        res["lookup_us_median"] = statistics.median(lk)
        # batch: one product + argpartition top-10 per row
        bidx = np.random.default_rng(QUERY_SEED + 1).choice(n, size=batch, replace=False)
        normed = kv.get_normed_vectors()
        t0 = time.perf_counter()
        q = normed[bidx]  # query unit matrix
        sims = np.dot(q, normed.T)
        t1 = time.perf_counter()
        top = np.argpartition(sims, n - 10, axis=1)[:, n - 10:]  # no negated copy
        rows_ = np.arange(batch)[:, None]
        order = np.argsort(-sims[rows_, top], axis=1)
        top = top[rows_, order]
        dt = time.perf_counter() - t0
        res["batch_size"] = batch
        res["batch_seconds"] = dt
        res["batch_dot_seconds"] = t1 - t0
        res["batch_topk_seconds"] = time.perf_counter() - t1
        res["batch_queries_per_second"] = batch / dt
        res["batch_ms_per_query"] = dt * 1e3 / batch
        # sanity: the batch result agrees with most_similar for the first query (self excluded)
        ms = [w for w, _ in kv.most_similar(kv.index_to_key[bidx[0]], topn=9)]
        got = [kv.index_to_key[i] for i in top[0] if i != bidx[0]][:9]
        res["batch_matches_most_similar"] = ms == got
    elif op == "save_native":
        kv = KeyedVectors.load_word2vec_format(path, binary=True)
        kv.save(extra["kv_path"], separately=["vectors"])
        res["saved"] = extra["kv_path"]
    elif op == "open_and_lookup":
        word = extra["word"]
        t0 = time.perf_counter()
        kv = KeyedVectors.load(path, mmap="r")
        v = kv[word]
        float(v[0])
        res["open_and_lookup_us"] = (time.perf_counter() - t0) * 1e6
    else:
        raise SystemExit(f"unknown worker op {op}")
    res["peak_rss_mb"] = _rss_mb()
    print(json.dumps(res))


def run_worker(op, path, extra=None):
    cmd = [sys.executable, os.path.abspath(__file__), "--_worker", op, path,
           json.dumps(extra or {})]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"gensim worker {op} failed:\n{p.stderr}")
    return json.loads(p.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- wordshift side

def timed_cli(cmd):
    """Run cmd under /usr/bin/time -f %M; return (wall seconds, peak RSS MB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rf:
        full = ["/usr/bin/time", "-f", "%M", "-o", rf.name] + cmd
        t0 = time.perf_counter()
        p = subprocess.run(full, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
        rss_lines = [l for l in open(rf.name).read().split() if l.strip().isdigit()]
        rss = int(rss_lines[-1]) / 1024.0 if rss_lines else None
    return wall, rss, p.stdout


def remove_store(store):
    for p in [store] + glob.glob(store + "-*"):
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)


def find_binary(name, given):
    if given:
        return given
    for sub in ("release", "debug"):
        p = os.path.join(REPO, ".build", sub, name)
        if os.path.exists(p):
            return p
    return os.path.join(REPO, ".build", "release", name)


# --------------------------------------------------------------------------- reporting

def machine_info():
    cpu = "unknown"
    flags = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and cpu == "unknown":
                    cpu = line.split(":", 1)[1].strip()
                if line.startswith("flags") and not flags:
                    flags = line
    except OSError:
        pass
    import numpy
    try:
        import gensim
        gv = gensim.__version__
    except ImportError:
        gv = None
    mem = None
    try:
        with open("/proc/meminfo") as f:
            mem = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"date": _dt.datetime.now().isoformat(timespec="seconds"), "nproc": os.cpu_count(),
            "cpu_model": cpu, "avx512f": " avx512f" in flags, "mem_gib": mem,
            "python": platform.python_version(), "numpy": numpy.__version__, "gensim": gv,
            "kernel": platform.release(), "loadavg_start": LOADAVG_START}


def fmt(v, unit):
    if v is None:
        return "n/a"
    if unit == "s":
        return f"{v:.2f} s" if v < 100 else f"{v:.1f} s"
    if unit == "ms":
        return f"{v:.2f} ms" if v < 100 else f"{v:,.0f} ms"
    if unit == "us":
        return f"{v:,.1f} µs"
    if unit == "q/s":
        return f"{v:,.0f} q/s"
    if unit == "MB":
        return f"{v:,.0f} MB"
    return str(v)


def table(rows):
    out = ["| operation | gensim | wordshift | ratio |", "|---|---|---|---|"]
    for name, g, w, unit, higher_better in rows:
        ratio = "n/a"
        if g is not None and w is not None and g > 0 and w > 0:
            r = (w / g) if higher_better else (g / w)
            ratio = f"{r:.2f}x"
        out.append(f"| {name} | {fmt(g, unit)} | {fmt(w, unit)} | {ratio} |")
    return "\n".join(out)


def last_gensim_text(out_dir, rows, dim):
    cands = sorted(glob.glob(os.path.join(out_dir, "vectors-*.json")), key=os.path.getmtime,
                   reverse=True)
    for c in cands:
        try:
            with open(c) as f:
                d = json.load(f)
        except (OSError, ValueError):
            continue
        g = d.get("gensim", {}).get("load_text")
        if d.get("rows") == rows and d.get("dim") == dim and \
                d.get("generator_version") == GENERATOR_VERSION and g and g.get("seconds"):
            g = dict(g)
            g.setdefault("reused_from", os.path.relpath(c, REPO))
            g.setdefault("measured_on", d.get("machine", {}).get("date"))
            return g
    return None


# --------------------------------------------------------------------------- main

LOADAVG_START = list(os.getloadavg())


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--_worker":
        worker(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=400000)
    ap.add_argument("--dim", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3, help="runs for binary load / imports (median)")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--out-dir", default=os.path.join(REPO, "bench-out"))
    ap.add_argument("--wordshift", default=None, help="path of the wordshift CLI")
    ap.add_argument("--wordshift-bench", default=None, help="path of wordshift-bench")
    ap.add_argument("--skip-gensim-text", action="store_true",
                    help="reuse the newest earlier gensim text-load measurement")
    ap.add_argument("--gensim-only", action="store_true", help="do not run Wordshift")
    ap.add_argument("--wordshift-only", action="store_true", help="do not run gensim")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--json", default=None, help="output JSON path (default bench-out/vectors-<date>.json)")
    args = ap.parse_args()

    def log(msg):
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    txt, binf, meta = generate(args.out_dir, args.rows, args.dim, log)
    if args.generate_only:
        return 0
    result = {"generator_version": GENERATOR_VERSION, "rows": args.rows, "dim": args.dim,
              "text_file": os.path.relpath(txt, REPO), "binary_file": os.path.relpath(binf, REPO),
              "text_bytes": meta["text_bytes"], "binary_bytes": meta["binary_bytes"],
              "runs": args.runs, "machine": machine_info(), "gensim": {}, "wordshift": {}}
    G, W = result["gensim"], result["wordshift"]

    if not args.wordshift_only:
        if args.skip_gensim_text:
            G["load_text"] = last_gensim_text(args.out_dir, args.rows, args.dim)
            if G["load_text"] is None:
                log("no earlier gensim text-load measurement found; left out")
            else:
                log(f"gensim text load REUSED from {G['load_text']['reused_from']}")
        else:
            log("gensim: load_word2vec_format text (1 run)")
            G["load_text"] = run_worker("load_text", txt)
            log(f"  {G['load_text']['seconds']:.1f}s, {G['load_text']['peak_rss_mb']:.0f} MB")
        runs = []
        for r in range(args.runs):
            runs.append(run_worker("load_binary", binf))
            log(f"gensim: binary load run {r + 1}: {runs[-1]['seconds']:.2f}s")
        G["load_binary"] = {"seconds": statistics.median(x["seconds"] for x in runs),
                            "all_seconds": [x["seconds"] for x in runs],
                            "peak_rss_mb": max(x["peak_rss_mb"] for x in runs)}
        log("gensim: queries")
        G["query"] = run_worker("query", binf, {"queries": args.queries, "warmup": args.warmup,
                                                "batch": args.batch})
        log(f"  first {G['query']['first_most_similar_ms']:.0f} ms, median "
            f"{G['query']['most_similar_ms_median']:.1f} ms, batch "
            f"{G['query']['batch_queries_per_second']:.0f} q/s")
        kv_path = os.path.splitext(binf)[0] + ".kv"
        if not os.path.exists(kv_path):
            run_worker("save_native", binf, {"kv_path": kv_path})
        word = None
        with open(binf, "rb") as f:
            f.readline()
            word = f.read(64).split(b" ", 1)[0].decode("utf-8")
        ol = [run_worker("open_and_lookup", kv_path, {"word": word}) for _ in range(args.runs)]
        G["open_and_lookup"] = {"us": statistics.median(x["open_and_lookup_us"] for x in ol),
                                "peak_rss_mb": max(x["peak_rss_mb"] for x in ol),
                                "how": "KeyedVectors.load(native .kv, mmap='r') + kv[word]"}

    if not args.gensim_only:
        ws = find_binary("wordshift", args.wordshift)
        wb = find_binary("wordshift-bench", args.wordshift_bench)
        for b in (ws, wb):
            if not os.access(b, os.X_OK):
                log(f"missing Wordshift binary {b}: build it or pass --wordshift/--wordshift-bench"
                    " (or use --gensim-only)")
                return 2
        W["binaries"] = {"wordshift": ws, "wordshift-bench": wb}
        store_dir = os.path.join(args.out_dir, "stores")
        os.makedirs(store_dir, exist_ok=True)
        for kind, src in (("text", txt), ("binary", binf)):
            store = os.path.join(store_dir, f"synth-{args.rows}x{args.dim}-{kind}.sqlite")
            walls, rss = [], []
            for r in range(args.runs):
                remove_store(store)
                w, m, _ = timed_cli([ws, "import", src, "--out", store, "--quiet"])
                walls.append(w)
                rss.append(m)
                log(f"wordshift: import {kind} run {r + 1}: {w:.2f}s, {m or 0:.0f} MB")
            W[f"import_{kind}"] = {"seconds": statistics.median(walls), "all_seconds": walls,
                                   "peak_rss_mb": max(x for x in rss if x is not None) if any(rss) else None,
                                   "store_bytes": os.path.getsize(store) if os.path.exists(store) else None}
            if kind == "text":
                remove_store(store)
            else:
                W["store"] = os.path.relpath(store, REPO)
        w, m, out = timed_cli([wb, "query", store, "--queries", str(args.queries),
                               "--warmup", str(args.warmup), "--batch", str(args.batch), "--json"])
        q = json.loads(out.strip().splitlines()[-1])
        q["wall_seconds"] = w
        q["peak_rss_mb"] = m
        W["query"] = q

    gq, wq = G.get("query", {}), W.get("query", {})
    gt, gb = G.get("load_text") or {}, G.get("load_binary") or {}
    it, ib = W.get("import_text") or {}, W.get("import_binary") or {}
    text_label = "load text (gensim load_word2vec_format / wordshift import)"
    if gt.get("reused_from"):
        text_label += f" [gensim value REUSED from {gt['reused_from']}]"
    rows = [
        (text_label, gt.get("seconds"), it.get("seconds"), "s", False),
        (f"load binary (median of {args.runs})", gb.get("seconds"), ib.get("seconds"), "s", False),
        ("ready to query: gensim first most_similar (norms) / wordshift load_index",
         gq.get("first_most_similar_ms"),
         wq["load_index_seconds"] * 1e3 if wq.get("load_index_seconds") is not None else None,
         "ms", False),
        (f"most_similar topn=10, median of {args.queries}", gq.get("most_similar_ms_median"),
         wq.get("single_query_ms_median"), "ms", False),
        (f"batch of {args.batch} queries (product + top-10)", gq.get("batch_queries_per_second"),
         wq.get("batch_queries_per_second"), "q/s", True),
        ("open + one lookup (gensim: mmap'd native .kv)", (G.get("open_and_lookup") or {}).get("us"),
         wq.get("open_and_lookup_us"), "us", False),
        ("lookup, median", gq.get("lookup_us_median"), wq.get("lookup_us_median"), "us", False),
        ("peak RSS, text load/import", gt.get("peak_rss_mb"), it.get("peak_rss_mb"), "MB", False),
        ("peak RSS, binary load/import", gb.get("peak_rss_mb"), ib.get("peak_rss_mb"), "MB", False),
        ("peak RSS, query process", gq.get("peak_rss_mb"), wq.get("peak_rss_mb"), "MB", False),
    ]
    md = table(rows)
    mi = result["machine"]
    header = (f"Vectors benchmark {mi['date']}: {args.rows:,} x {args.dim} synthetic "
              f"(generator {GENERATOR_VERSION}, seed {SEED}); text {meta['text_bytes'] / 1e6:,.0f} MB, "
              f"binary {meta['binary_bytes'] / 1e6:,.0f} MB\n"
              f"Machine: nproc {mi['nproc']}, {mi['cpu_model']}, avx512f={mi['avx512f']}, "
              f"{mi['mem_gib']} GiB; gensim {mi['gensim']}, numpy {mi['numpy']}, Python {mi['python']}\n"
              "ratio = gensim/wordshift for times and RSS, wordshift/gensim for q/s: >1 means Wordshift better.")
    mi["loadavg_end"] = list(os.getloadavg())
    header += (f"\nLoad average at start {mi['loadavg_start'][0]:.2f}, at end {mi['loadavg_end'][0]:.2f}"
               " (1-min; well above 0 at start means something else was running)")
    result["markdown"] = header + "\n\n" + md
    out = args.json or os.path.join(args.out_dir, f"vectors-{_dt.date.today().isoformat()}.json")
    if not args.json and os.path.exists(out):
        out = os.path.join(args.out_dir, f"vectors-{time.strftime('%Y-%m-%dT%H%M%S')}.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(result["markdown"])
    print(f"\nJSON: {os.path.relpath(out, os.getcwd())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
