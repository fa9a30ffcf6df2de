#!/usr/bin/env python3
"""Issue 15 §2: tokens/s of the Spark job (local[2]) against `wordshift train cooccur`.

  spark_rate.py prepare --corpus enwiki-2015.txt.gz --out DIR [--files 8]
  spark_rate.py run --wordshift BIN --corpus DIR --vocab vocab.txt --label L [--runs 2] [--master local[2]]

`prepare` cuts the corpus at line boundaries into FILES plain files (both tools read the same
directory: the whole corpus, the same documents) and writes DIR.vocab.txt with `wordshift
train vocab --tokenizer whitespace` (min-count 5). `run` times whole processes under
/usr/bin/time -v, alternating wordshift and Spark, same window (15, symmetric, 1/d), same
vocabulary; after the last run it checks that the Spark shards, concatenated, equal
wordshift's file byte for byte. Prints one JSON record (command, commit, date, runs).
"""

import argparse
import datetime
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JOB = os.path.join(HERE, "..", "..", "tools", "spark", "glove_spark.py")


def timed(cmd, env=None):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        started = time.time()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, capture_output=True, text=True, env=env)
        wall = time.time() - started
        if p.returncode != 0:
            sys.stderr.write(p.stderr[-3000:])
            raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
        report = t.read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1)) * 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", report).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", report).group(1))
    return p.stdout, round(wall, 2), rss, round(user + system, 2)


def prepare(args):
    os.makedirs(args.out)
    opener = gzip.open if args.corpus.endswith(".gz") else open
    with opener(args.corpus, "rb") as f:
        data = f.read()
    n = len(data)
    start = 0
    for i in range(args.files):
        end = n if i == args.files - 1 else data.find(b"\n", (i + 1) * n // args.files) + 1
        with open(os.path.join(args.out, f"part-{i}.txt"), "wb") as f:
            f.write(data[start:end])
        start = end
    subprocess.run([args.wordshift, "train", "vocab", "--tokenizer", "whitespace", "--min-count", "5",
                    "--corpus", args.out, "--out", args.out.rstrip("/") + ".vocab.txt", "--quiet"], check=True)


def run(args):
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()
    rec = {"issue": "15 §2", "label": args.label, "commit": commit, "argv": sys.argv,
           "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "corpus": args.corpus, "vocab": args.vocab, "window": 15, "runs": []}
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    with tempfile.TemporaryDirectory(dir=args.temp_dir) as work:
        for r in range(args.runs):
            out = os.path.join(work, "wordshift.bin")
            cmd = [args.wordshift, "train", "cooccur", "--tokenizer", "whitespace", "--corpus", args.corpus,
                   "--vocab", args.vocab, "--window", "15", "--out", out, "--temp-dir", work, "--force", "--json", "--quiet"]
            stdout, wall, rss, cpu = timed(cmd)
            s = json.loads(stdout)
            rec["runs"].append({"tool": "wordshift train cooccur", "run": r + 1, "command": " ".join(cmd), "wall_s": wall,
                                "cpu_s": cpu, "peak_rss_bytes": rss, "tokens": s.get("tokens"), "pairs": s.get("pairs"),
                                "tokens_per_s": round(s.get("tokens", 0) / wall)})
            shards = os.path.join(work, "shards")
            cmd = [sys.executable, JOB, "cooccur", "--master", args.master, "--corpus", args.corpus, "--vocab", args.vocab,
                   "--window", "15", "--out", shards, "--shards", str(args.shards), "--temp-dir", work, "--force",
                   "--json", "--quiet"]
            stdout, wall, rss, cpu = timed(cmd, env)
            s = json.loads(stdout)
            rec["runs"].append({"tool": f"glove_spark.py cooccur ({args.master})", "run": r + 1, "command": " ".join(cmd),
                                "wall_s": wall, "cpu_s_largest_process_tree": cpu, "peak_rss_bytes_largest_process": rss,
                                "tokens": s["tokens"], "pairs": s["records"], "job_seconds": s["seconds"],
                                "shuffle_payload_bytes": s["shuffle_payload_bytes"], "splits": s["splits"],
                                "shards": s["shards"], "tokens_per_s": round(s["tokens"] / wall)})
        h1, h2 = hashlib.sha256(), hashlib.sha256()
        with open(os.path.join(work, "wordshift.bin"), "rb") as f:
            for b in iter(lambda: f.read(1 << 20), b""):
                h1.update(b)
        for name in sorted(os.listdir(shards)):
            if name.endswith(".bin"):
                with open(os.path.join(shards, name), "rb") as f:
                    for b in iter(lambda: f.read(1 << 20), b""):
                        h2.update(b)
        rec["wordshift_sha256"] = h1.hexdigest()
        rec["spark_concatenated_sha256"] = h2.hexdigest()
        rec["identical"] = h1.hexdigest() == h2.hexdigest()
    for tool in sorted({r["tool"] for r in rec["runs"]}):
        rates = [r["tokens_per_s"] for r in rec["runs"] if r["tool"] == tool]
        mean = sum(rates) / len(rates)
        sd = (sum((x - mean) ** 2 for x in rates) / (len(rates) - 1)) ** 0.5 if len(rates) > 1 else None
        rec.setdefault("tokens_per_s", {})[tool] = {"mean": round(mean), "sd": round(sd) if sd is not None else None, "n": len(rates)}
    print(json.dumps(rec, indent=1, sort_keys=True))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--corpus", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--files", type=int, default=8)
    a.add_argument("--wordshift", required=True)
    b = sub.add_parser("run")
    b.add_argument("--wordshift", required=True)
    b.add_argument("--corpus", required=True)
    b.add_argument("--vocab", required=True)
    b.add_argument("--label", required=True)
    b.add_argument("--runs", type=int, default=2)
    b.add_argument("--master", default="local[2]")
    b.add_argument("--shards", type=int, default=8)
    b.add_argument("--temp-dir", default=None)
    args = p.parse_args()
    (prepare if args.cmd == "prepare" else run)(args)


if __name__ == "__main__":
    main()
