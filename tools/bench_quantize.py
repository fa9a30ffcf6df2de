#!/usr/bin/env python3
"""Quantized stores (issue 13 §2): size and quality of float16 and int8 copies against the
float32 store: WS-353 and MEN Spearman (`wordshift evaluate similarity`) and analogy accuracy
(`wordshift evaluate analogies`, 3CosAdd, gensim's restrict 300,000). Accuracy only (no timing).

  tools/bench_quantize.py --store S.sqlite --wordshift .build/release/wordshift --workdir DIR --out bench/ann/quantize.json
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
    a = ap.parse_args()
    ws = a.wordshift
    sim_files = [os.path.join(a.eval_dir, f) for f in ("wordsim353.tsv", "MEN_dataset_natural_form_full")]
    questions = os.path.join(a.eval_dir, "questions-words.txt")
    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "commit": subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip(),
              "store": a.store, "stores": {}}
    stores = {"float32": a.store}
    for enc in ("f16", "int8"):
        out = os.path.join(a.workdir, f"quantized-{enc}.sqlite")
        q = run([ws, "quantize", a.store, "--to", enc, "--out", out, "--force", "--json", "-q"])
        stores[enc] = out
        result.setdefault("quantize", {})[enc] = q
    for name, path in stores.items():
        sim = run([ws, "evaluate", "similarity", path] + sim_files + ["--json", "-q"])
        ana = run([ws, "evaluate", "analogies", path, questions, "--json", "-q"])
        result["stores"][name] = {"bytes": os.path.getsize(path), "similarity": sim, "analogies": ana}
        print(name, os.path.getsize(path), file=sys.stderr)
    text = json.dumps(result, indent=1)
    if a.out:
        open(a.out, "w").write(text + "\n")
    print(text[:3000])


if __name__ == "__main__":
    main()
