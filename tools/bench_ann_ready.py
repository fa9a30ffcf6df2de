#!/usr/bin/env python3
"""Ready to query (issue 13 §3): one whole process from start to its first nearest-10 answer,
wordshift (store open, matrix load, every derived structure: the HNSW index with its vector
fingerprint check, or for exact search the int8 copy) against gensim
(`KeyedVectors.load_word2vec_format(binary=True)` + first `most_similar`, which computes norms).
Alternating runs; wall time and peak RSS of each process from /usr/bin/time.

  tools/bench_ann_ready.py --store S.sqlite [--indexed-store T.sqlite] --w2v S.w2v.bin --word king --runs 3 --out X.json
"""
import argparse, json, os, platform, statistics, subprocess, sys, tempfile, time

GENSIM = """
import sys, time, json
t0 = time.perf_counter()
from gensim.models import KeyedVectors
t1 = time.perf_counter()
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
t2 = time.perf_counter()
ans = kv.most_similar(sys.argv[2], topn=10)
t3 = time.perf_counter()
print(json.dumps({"import_seconds": t1 - t0, "load_seconds": t2 - t1, "first_query_seconds": t3 - t2,
                  "answer": [w for w, _ in ans]}))
"""


def timed(cmd):
    fd, rss_file = tempfile.mkstemp(prefix="rss-")
    os.close(fd)
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    rss = int(open(rss_file).read().split()[-1]) / 1024
    os.remove(rss_file)
    return p.stdout, wall, rss


def summarize(v):
    return {"mean": statistics.mean(v), "sd": statistics.stdev(v) if len(v) > 1 else 0.0, "runs": v}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="float32 store without an index (exact search)")
    ap.add_argument("--indexed-store", help="the same vectors with an HNSW index")
    ap.add_argument("--w2v", required=True, help="the same vectors as word2vec binary (gensim's input)")
    ap.add_argument("--wordshift", default=".build/release/wordshift")
    ap.add_argument("--word", default="king")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()
    sides = {"gensim": [sys.executable, "-c", GENSIM, a.w2v, a.word],
             "wordshift-exact": [a.wordshift, "nearest", a.store, a.word, "-k", "10", "--json", "-q"]}
    if a.indexed_store:
        sides["wordshift-hnsw"] = [a.wordshift, "nearest", a.indexed_store, a.word, "-k", "10", "--json", "-q"]
    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "commit": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
              "machine": platform.platform(), "load_average_start": os.getloadavg()[0],
              "vector_bytes": os.path.getsize(a.w2v), "runs": {k: [] for k in sides}}
    for _ in range(a.runs):
        for name, cmd in sides.items():
            out, wall, rss = timed(cmd)
            entry = {"process_seconds": wall, "peak_rss_mib": rss}
            if name == "gensim":
                entry.update(json.loads(out))
            else:
                entry["answer"] = [n["word"] for n in json.loads(out)[0]["neighbors"]]
            result["runs"][name].append(entry)
            print(name, f"{wall:.2f} s", f"{rss:.0f} MiB", file=sys.stderr)
    result["summary"] = {k: {"process_seconds": summarize([r["process_seconds"] for r in v]),
                             "peak_rss_mib": summarize([r["peak_rss_mib"] for r in v])} for k, v in result["runs"].items()}
    result["load_average_end"] = os.getloadavg()[0]
    text = json.dumps(result, indent=1)
    if a.out:
        open(a.out, "w").write(text + "\n")
    for k, s in result["summary"].items():
        print(f"{k}: {s['process_seconds']['mean']:.2f} ± {s['process_seconds']['sd']:.2f} s, peak RSS {s['peak_rss_mib']['mean']:.0f} MiB")


if __name__ == "__main__":
    main()
