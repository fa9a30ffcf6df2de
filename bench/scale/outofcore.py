#!/usr/bin/env python3
"""Issue 15 §1: GloVe training in memory against out of core (`--memory`), whole processes.

  outofcore.py pair  --wordshift BIN --corpus FILE --budget 256M --label L [--iter 15] [--order mem-first]
  outofcore.py large --wordshift BIN --base FILE --copies 4 --budget 64M --label L [--iter 3]
  outofcore.py build-large --base FILE --copies 4 --out FILE [--seed 1]

`pair` trains the same corpus twice with the same seed and threads, once with the default
budget (4G: the pairs stay in memory) and once with `--memory BUDGET` (pairs spilled to
--temp-dir), each under /usr/bin/time -v; exports both stores to word2vec binary and compares
their SHA-256. `build-large` writes COPIES shuffled copies of a corpus (seeded line order),
every token of copy c prefixed with `cN_`, so no pair of one copy merges with another's;
`large` trains it with a small budget. Each writes one JSON record (command, commit, date,
wall, peak RSS, the training summary) to stdout; run under `/work/team/cpu bench`.
"""

import argparse
import datetime
import gzip
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        return None


def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (stdout, wall s, peak RSS bytes)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        started = time.time()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, capture_output=True, text=True)
        wall = time.time() - started
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
        report = t.read()
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", report).group(1)
    parts = [float(x) for x in elapsed.split(":")]
    wall_time = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    return p.stdout, wall_time or wall, rss_kb * 1024


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def train(args, corpus, budget, work, name):
    out = os.path.join(work, name + ".sqlite")
    cmd = [args.wordshift, "train", "--corpus", corpus, "--out", out, "--threads", str(args.threads),
           "--seed", str(args.seed), "--iter", str(args.iter), "--temp-dir", work, "--json", "--quiet"]
    if budget:
        cmd += ["--memory", budget]
    if args.tokenizer:
        cmd += ["--tokenizer", args.tokenizer]
    stdout, wall, rss = timed(cmd)
    summary = json.loads(stdout)
    vec = os.path.join(work, name + ".bin")
    subprocess.run([args.wordshift, "export", out, "--format", "word2vec-binary", "--out", vec, "--quiet"],
                   check=True, capture_output=True)
    digest = sha256(vec)
    os.unlink(vec)
    os.unlink(out)
    leftovers = [f for f in os.listdir(work) if f.startswith("wordshift-")]
    return {"command": " ".join(cmd), "wall_s": round(wall, 2), "peak_rss_bytes": rss,
            "vectors_sha256": digest, "spill_files_left": leftovers, "summary": summary}


def model_bytes(vocab, dim):
    """2 x V rows of (d rounded up to 8) x 2 + 8 floats (docs/cooccurrence.md)."""
    d8 = (dim + 7) // 8 * 8
    return 2 * vocab * (d8 * 2 + 8) * 4


def header(args):
    return {"issue": "15 §1", "label": args.label, "commit": commit(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "argv": sys.argv, "threads": args.threads, "seed": args.seed, "iter": args.iter, "dim": 100}


def parse_budget(text):
    m = re.fullmatch(r"(\d+)([KMG]?)", text.upper())
    return int(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(2)]


def run_pair(args):
    rec = header(args)
    rec["corpus"] = args.corpus
    rec["budget"] = args.budget
    with tempfile.TemporaryDirectory(dir=args.temp_dir) as work:
        order = [("memory", None), ("budget", args.budget)]
        if args.order == "budget-first":
            order.reverse()
        for name, budget in order:
            rec[name] = train(args, args.corpus, budget, work, name)
    vocab = rec["memory"]["summary"].get("vocabularySize") or rec["memory"]["summary"].get("vocabulary_size")
    rec["model_bytes"] = model_bytes(int(vocab), 100) if vocab else None
    if rec["model_bytes"]:
        rec["rss_limit_bytes"] = parse_budget(args.budget) + rec["model_bytes"] + (64 << 20)
        rec["rss_within_limit"] = rec["budget"]["peak_rss_bytes"] <= rec["rss_limit_bytes"]
    rec["wall_ratio"] = round(rec["budget"]["wall_s"] / rec["memory"]["wall_s"], 3)
    rec["same_vectors"] = rec["memory"]["vectors_sha256"] == rec["budget"]["vectors_sha256"]
    print(json.dumps(rec, indent=1, sort_keys=True))


def build_large(args):
    opener = gzip.open if args.base.endswith(".gz") else open
    with opener(args.base, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    rng = random.Random(args.seed)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as out:
        for c in range(args.copies):
            order = list(range(len(lines)))
            rng.shuffle(order)
            prefix = b"c%d_" % c
            for i in order:
                toks = lines[i].split()
                out.write(b" ".join(prefix + t for t in toks) + b"\n")
    os.replace(tmp, args.out)


def run_large(args):
    rec = header(args)
    rec["corpus"] = args.corpus
    rec["budget"] = args.budget
    with tempfile.TemporaryDirectory(dir=args.temp_dir) as work:
        rec["run"] = train(args, args.corpus, args.budget, work, "large")
    s = rec["run"]["summary"]
    pairs = int(s.get("pairs", 0))
    rec["pair_bytes"] = pairs * 12
    rec["pairs_over_budget"] = round(pairs * 12 / parse_budget(args.budget), 2)
    print(json.dumps(rec, indent=1, sort_keys=True))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("pair", "large"):
        q = sub.add_parser(name)
        q.add_argument("--wordshift", required=True)
        q.add_argument("--corpus", required=True)
        q.add_argument("--budget", required=True)
        q.add_argument("--label", required=True)
        q.add_argument("--iter", type=int, default=15)
        q.add_argument("--threads", type=int, default=2)
        q.add_argument("--seed", type=int, default=1)
        q.add_argument("--temp-dir", default=None)
        q.add_argument("--tokenizer", default=None, help="passed to wordshift train (default: its own)")
        if name == "pair":
            q.add_argument("--order", choices=["memory-first", "budget-first"], default="memory-first")
    b = sub.add_parser("build-large")
    b.add_argument("--base", required=True)
    b.add_argument("--copies", type=int, default=4)
    b.add_argument("--out", required=True)
    b.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    {"pair": run_pair, "large": run_large, "build-large": build_large}[args.cmd](args)


if __name__ == "__main__":
    main()
