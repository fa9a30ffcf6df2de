#!/usr/bin/env python3
"""Quantized stores (issue 13 §2): size and quality of float16, int8 and product-quantized (pq)
copies against the float32 store: WS-353 and MEN Spearman (`wordshift evaluate similarity`),
analogy accuracy (`wordshift evaluate analogies`, 3CosAdd, gensim's restrict 300,000) and, for
pq, recall@10 of single nearest-10 queries against exact float32 search (`wordshift evaluate
recall`, 1,000 words sampled with seed 1). The quantize and query times it records are only
meaningful when the script runs alone on the machine (a quiet window, `/work/team/cpu bench`).

  tools/bench_quantize.py --store S.sqlite --wordshift .build/release/wordshift --workdir DIR --out bench/ann/quantize.json \
      [--encodings f16 int8 pq] [--pq-subquantizers 75 100] [--pq-plain] [--recall-threads 1 2] [--reuse]

pq rows are optimized PQ (the default); --pq-plain adds plain-PQ rows (`--no-opq`, named ...-plain).
--reuse takes an existing quantized-NAME.sqlite with its quantized-NAME.json summary from --workdir
instead of quantizing again (their times then come from that earlier run).
"""
import argparse, json, os, subprocess, sys, time


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    ap.add_argument("--wordshift", default=".build/release/wordshift")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--eval-dir", default="corpora/data/eval")
    ap.add_argument("--out")
    ap.add_argument("--encodings", nargs="+", default=["f16", "int8"], choices=["f16", "int8", "pq"])
    ap.add_argument("--pq-subquantizers", nargs="+", type=int, default=[None],
                    help="pq: --subquantizers values (default: the tool's default)")
    ap.add_argument("--pq-seed", type=int, default=1)
    ap.add_argument("--recall-threads", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--no-float32", action="store_true", help="skip evaluating the float32 store (already in another JSON)")
    ap.add_argument("--pq-plain", action="store_true", help="also plain PQ (--no-opq)")
    ap.add_argument("--reuse", action="store_true", help="reuse quantized stores (and summaries) already in --workdir")
    a = ap.parse_args()
    ws = a.wordshift
    sim_files = [os.path.join(a.eval_dir, f) for f in ("wordsim353.tsv", "MEN_dataset_natural_form_full")]
    questions = os.path.join(a.eval_dir, "questions-words.txt")
    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "commit": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
              "store": a.store, "stores": {}}
    stores = {} if a.no_float32 else {"float32": a.store}
    result["source_bytes"] = os.path.getsize(a.store)
    variants = []
    for enc in a.encodings:
        for m in (a.pq_subquantizers if enc == "pq" else [None]):
            for plain in ([False, True] if enc == "pq" and a.pq_plain else [False]):
                variants.append((enc, m, plain))
    for enc, m, plain in variants:
            name = (enc if m is None else f"{enc}-m{m}") + ("-plain" if plain else "")
            out = os.path.join(a.workdir, f"quantized-{name}.sqlite")
            summary = os.path.join(a.workdir, f"quantized-{name}.json")
            if a.reuse and os.path.exists(out) and os.path.exists(summary):
                stores[name] = out
                result.setdefault("quantize", {})[name] = dict(json.load(open(summary)), reused=True)
                continue
            cmd = [ws, "quantize", a.store, "--to", enc, "--out", out, "--force", "--json", "-q"]
            if enc == "pq":
                cmd += ["--seed", str(a.pq_seed)] + ([] if m is None else ["--subquantizers", str(m)]) + (["--no-opq"] if plain else [])
            started = time.time()
            q = run(cmd)
            q["wall_seconds"] = time.time() - started
            open(summary, "w").write(json.dumps(q, indent=1) + "\n")
            stores[name] = out
            result.setdefault("quantize", {})[name] = q
            print(name, "quantized", round(q["wall_seconds"], 1), "s", file=sys.stderr)
    for name, path in stores.items():
        sim = run([ws, "evaluate", "similarity", path] + sim_files + ["--json", "-q"])
        ana = run([ws, "evaluate", "analogies", path, questions, "--json", "-q"])
        entry = {"bytes": os.path.getsize(path), "size_ratio": result["source_bytes"] / os.path.getsize(path),
                 "similarity": sim, "analogies": ana}
        if name.startswith("pq"):
            entry["recall"] = {str(t): run([ws, "evaluate", "recall", path, "--reference", a.store, "--sample", "1000", "--seed", "1",
                                            "-k", "10", "--threads", str(t), "--json", "-q"]) for t in a.recall_threads}
        result["stores"][name] = entry
        print(name, os.path.getsize(path), [r["spearman"] for r in sim["results"]], ana["total"], file=sys.stderr)
    text = json.dumps(result, indent=1)
    if a.out:
        open(a.out, "w").write(text + "\n")
    print(text[:3000])


if __name__ == "__main__":
    main()
