#!/usr/bin/env python3
"""Training benchmark: `wordshift train` (GloVe) against gensim Word2Vec, in the same run.

Peer-comparison tooling only; the Wordshift product never depends on Python.

Usage (from the repo root):

    python3 tools/bench_train.py --raw ../shared/data/corpus/enwiki-2015-head.txt --label head
    python3 tools/bench_train.py --raw ../shared/data/corpus/enwiki-2015.txt.gz --label full
    python3 tools/bench_train.py --corpus /tmp/prepared.txt --label x --models sg-w15   # already prepared
    python3 tools/bench_train.py --raw ... --label head --skip-wordshift                  # peers only

Corpus preparation (as in shared/notes/reference-figures.md): every line is lower-cased and
every run of non-word characters (Python `re.sub(r"\\W+", " ", line.lower())`, Unicode \\W)
becomes one space; one document per line. With --keep-apostrophes an apostrophe between two
word characters stays (don't, it's stay one token): that copy matches the reference's own
counts (15.35M vs 15.36M tokens, 72,470 vs 72,273 words, 59.55M vs 59.5M co-occurrence pairs
on the full corpus) where plain \\W gives 15.45M / 70,134 / 58.5M, so it is the one to compare
with the reference tools' figures. The prepared copy goes to --work (default /tmp),
never into the repository; it is reused when it is already there and newer than the source.

Wordshift side: `wordshift train --tokenizer whitespace` at the reference GloVe settings
(100d, window 15, min-count 5, x-max 10, 15 iterations, 2 threads, seed 1), run under
`/usr/bin/time -f "%e %M"` (wall seconds, peak RSS in KB); per-stage seconds and per-iteration
seconds come from its --json summary.

gensim side (gensim 4.4, each model in a fresh subprocess under /usr/bin/time):
  Word2Vec(sentences=LineSentence(corpus), vector_size=100, window=W, min_count=5,
  workers=2, epochs=5, seed=1, sg=0|1). Models (--models, default cbow-w15,cbow-w5,sg-w15):
  cbow-w15 (gensim's default CBOW at the issue's "same dimension, window, min-count and
  threads"), cbow-w5 (gensim's default window 5, as in reference-figures.md), sg-w15
  (skip-gram, window 15), sg-w5. The vectors are saved in
  word2vec binary format and imported with `wordshift import`, so one evaluator (the
  Wordshift CLI, which computes what gensim computes) scores every model:
  `wordshift evaluate analogies STORE questions-words.txt --restrict-vocab 30000 --json` and
  `wordshift evaluate similarity STORE <5 sets> --json`.

Reference side (--glove-c DIR): the stanfordnlp/GloVe C tools built by
`tools/build-glove-reference.sh DIR` (never part of the repository), run stage by stage at the
same settings as its demo.sh (vocab_count -min-count 5; cooccur -memory 4.0 -window-size 15;
shuffle -memory 4.0 -seed S; glove -vector-size 100 -threads 2 -iter 15 -x-max 10 -binary 0
-model 2 -seed S), each stage under /usr/bin/time; wall is the sum of the four stages, peak RSS
the largest. The GloVe text output (word + context vectors summed) is imported with
`wordshift import --format glove` and scored by the same evaluator.

Output: a markdown table on stdout and bench-out/train-<label>-<UTC time>.json.
"""
import argparse
import datetime
import gzip
import json
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = os.path.join(REPO, "..", "shared", "data", "eval")
SIM_SETS = ["wordsim353.tsv", "simlex999.txt", "MEN_dataset_natural_form_full", "EN-RG-65.txt", "EN-MTurk-771.txt"]
SIM_NAMES = {"wordsim353.tsv": "WS353", "simlex999.txt": "SimLex", "MEN_dataset_natural_form_full": "MEN",
             "EN-RG-65.txt": "RG65", "EN-MTurk-771.txt": "MTurk771"}
GENSIM_MODELS = {
    "sg-w15": dict(sg=1, window=15),
    "cbow-w15": dict(sg=0, window=15),
    "cbow-w5": dict(sg=0, window=5),
    "sg-w5": dict(sg=1, window=5),
}
NON_WORD = re.compile(r"\W+")
# \W runs, except that an apostrophe between two word characters is kept.
NON_WORD_KEEP_APOSTROPHES = re.compile(r"(?:(?!(?<=\w)'(?=\w))\W)+")


def log(msg):
    print(f"[{datetime.datetime.utcnow().strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def prepare(raw, out):
    """Lower-case, \\W+ -> one space, one document per line."""
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(raw):
        return False
    opener = gzip.open if raw.endswith(".gz") else open
    pattern = NON_WORD_KEEP_APOSTROPHES if ARGS.keep_apostrophes else NON_WORD
    tmp = out + ".part"
    with opener(raw, "rt", encoding="utf-8", errors="replace") as f, open(tmp, "w", encoding="utf-8") as g:
        for line in f:
            g.write(pattern.sub(" ", line.rstrip("\n").lower()))
            g.write("\n")
    os.replace(tmp, out)
    return True


def timed(cmd, env=None, stdin_path=None, stdout_path=None):
    """Runs cmd under /usr/bin/time; returns (stdout, wall seconds, peak RSS MB). With
    stdin_path / stdout_path the command reads / writes those files (stdout is then "")."""
    tfile = os.path.join(ARGS.work, f"bench-train-time-{os.getpid()}.txt")
    full = ["/usr/bin/time", "-f", "%e %M", "-o", tfile] + cmd
    with open(stdin_path or os.devnull, "rb") as fin:
        if stdout_path:
            with open(stdout_path, "wb") as fout:
                p = subprocess.run(full, stdin=fin, stdout=fout, stderr=subprocess.PIPE, env=env)
            out = ""
        else:
            p = subprocess.run(full, stdin=fin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            out = p.stdout.decode()
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace")[-4000:])
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
    with open(tfile) as f:
        fields = f.read().strip().splitlines()[-1].split()
    os.remove(tfile)
    return out, float(fields[0]), int(fields[1]) / 1024.0


def evaluate(store):
    ws = ARGS.wordshift
    out = subprocess.run([ws, "evaluate", "analogies", store, os.path.join(EVAL, "questions-words.txt"),
                          "--restrict-vocab", "30000", "--json", "--quiet"], check=True, stdout=subprocess.PIPE, text=True).stdout
    a = json.loads(out)
    total = a.get("total", {})
    res = {"analogy_accuracy": total.get("accuracy"), "analogy_coverage": total.get("coverage"),
           "analogy_correct": total.get("correct"), "analogy_attempted": total.get("attempted")}
    out = subprocess.run([ws, "evaluate", "similarity", store] + [os.path.join(EVAL, s) for s in SIM_SETS] + ["--json", "--quiet"],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    for r in json.loads(out)["results"]:
        name = SIM_NAMES.get(os.path.basename(r["file"]), os.path.basename(r["file"]))
        res[name] = r.get("spearman")
        res[name + "_coverage"] = r.get("coverage")
    return res


def run_wordshift(corpus, label):
    store = os.path.join(ARGS.work, f"bench-train-{label}-wordshift.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    cmd = [ARGS.wordshift, "train", "--corpus", corpus, "--out", store, "--tokenizer", "whitespace",
           "--dim", "100", "--window", "15", "--min-count", "5", "--x-max", "10", "--iter", str(ARGS.iter),
           "--threads", str(ARGS.threads), "--seed", str(ARGS.seed), "--json", "--quiet"]
    if ARGS.memory:
        cmd += ["--memory", ARGS.memory]
    log("wordshift train " + label)
    out, wall, rss = timed(cmd)
    s = json.loads(out)
    iters = [it["seconds"] for it in s.get("iterations", [])]
    r = {"model": "wordshift GloVe (100d, w15, 15 it)", "wall_s": wall, "peak_rss_mb": rss,
         "stages_s": s.get("stageSeconds"), "pairs": s.get("pairs"), "vocab": s.get("vocabularySize"),
         "tokens": s.get("tokens"), "seconds_per_iteration": (sum(iters) / len(iters)) if iters else None,
         "iteration_seconds": iters, "command": " ".join(cmd)}
    log("evaluate wordshift " + label)
    r.update(evaluate(store))
    if not ARGS.keep:
        os.remove(store)
    return r


def run_glove_c(corpus, label):
    """The reference C tools, stage by stage, in --work/glove-c-<label>/."""
    bindir = os.path.join(ARGS.glove_c, "build")
    work = os.path.join(ARGS.work, f"glove-c-{label}")
    os.makedirs(work, exist_ok=True)
    vocab, cooc, shuf = (os.path.join(work, n) for n in ("vocab.txt", "cooccurrence.bin", "cooccurrence.shuf.bin"))
    save = os.path.join(work, "vectors")
    seed = str(ARGS.seed)
    stages = [
        ("vocab_count", [os.path.join(bindir, "vocab_count"), "-min-count", "5", "-verbose", "0"], corpus, vocab),
        ("cooccur", [os.path.join(bindir, "cooccur"), "-memory", "4.0", "-vocab-file", vocab, "-verbose", "0",
                     "-window-size", "15", "-overflow-file", os.path.join(work, "overflow")], corpus, cooc),
        ("shuffle", [os.path.join(bindir, "shuffle"), "-memory", "4.0", "-verbose", "0", "-seed", seed,
                     "-temp-file", os.path.join(work, "temp_shuffle")], cooc, shuf),
        ("glove", [os.path.join(bindir, "glove"), "-save-file", save, "-threads", str(ARGS.threads), "-input-file", shuf,
                   "-x-max", "10", "-iter", str(ARGS.iter), "-vector-size", "100", "-binary", "0", "-model", "2",
                   "-vocab-file", vocab, "-verbose", "0", "-seed", seed], None, None),
    ]
    stage_s, rss_max = {}, 0.0
    for name, cmd, stdin, stdout in stages:
        log(f"glove-c {name} {label}")
        _, wall, rss = timed(cmd, stdin_path=stdin, stdout_path=stdout)
        stage_s[name] = wall
        rss_max = max(rss_max, rss)
    store = save + ".sqlite"
    for path in (store, store + "-wal", store + "-shm"):
        if os.path.exists(path):
            os.remove(path)
    subprocess.run([ARGS.wordshift, "import", save + ".txt", "--format", "glove", "--out", store, "--quiet"], check=True)
    with open(vocab) as f:
        nvocab = sum(1 for _ in f)
    r = {"model": "GloVe C reference (100d, w15, 15 it)", "wall_s": sum(stage_s.values()), "peak_rss_mb": rss_max,
         "stages_s": stage_s, "pairs": os.path.getsize(cooc) // 16, "vocab": nvocab,
         "command": "; ".join(" ".join(c[1]) for c in stages)}
    r.update(evaluate(store))
    if not ARGS.keep:
        for path in (cooc, shuf, store):
            os.remove(path)
    return r


GENSIM_WORKER = r"""
import sys, time, logging
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
corpus, out, sg, window, workers, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
t = time.time()
m = Word2Vec(sentences=LineSentence(corpus), vector_size=100, window=window, min_count=5, workers=workers, epochs=epochs, sg=sg, seed=1)
train = time.time() - t
m.wv.save_word2vec_format(out, binary=True)
print(train, len(m.wv), m.corpus_total_words)
"""


def run_gensim(corpus, label, name):
    spec = GENSIM_MODELS[name]
    vec = os.path.join(ARGS.work, f"bench-train-{label}-gensim-{name}.bin")
    store = vec + ".sqlite"
    for path in (store, store + "-wal", store + "-shm"):
        if os.path.exists(path):
            os.remove(path)
    log(f"gensim {name} {label}")
    cmd = [sys.executable, "-c", GENSIM_WORKER, corpus, vec, str(spec["sg"]), str(spec["window"]), str(ARGS.threads), "5"]
    out, wall, rss = timed(cmd)
    train_s, vocab, words = out.split()
    subprocess.run([ARGS.wordshift, "import", vec, "--out", store, "--quiet"], check=True)
    r = {"model": f"gensim {'skip-gram' if spec['sg'] else 'CBOW'} (100d, w{spec['window']}, 5 ep)", "wall_s": wall,
         "train_s": float(train_s), "peak_rss_mb": rss, "vocab": int(vocab), "tokens": int(words),
         "command": f"Word2Vec(LineSentence(corpus), vector_size=100, window={spec['window']}, min_count=5, "
                    f"workers={ARGS.threads}, epochs=5, sg={spec['sg']}, seed=1)"}
    r.update(evaluate(store))
    if not ARGS.keep:
        for path in (vec, store):
            os.remove(path)
    return r


def fmt(v, pct=False):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    return f"{100 * v:.1f}%" if pct else f"{v:.3f}"


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", help="raw corpus (.txt or .gz) to prepare")
    ap.add_argument("--corpus", help="an already prepared corpus")
    ap.add_argument("--label", required=True)
    ap.add_argument("--work", default="/tmp")
    ap.add_argument("--wordshift", default=os.path.join(REPO, ".build", "release", "wordshift"))
    ap.add_argument("--models", default="cbow-w15,cbow-w5,sg-w15", help="gensim models: " + ",".join(GENSIM_MODELS) + " or none")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iter", type=int, default=15)
    ap.add_argument("--memory", help="wordshift --memory")
    ap.add_argument("--skip-wordshift", action="store_true")
    ap.add_argument("--keep-apostrophes", action="store_true", help="keep in-word apostrophes when preparing --raw")
    ap.add_argument("--seed", type=int, default=1, help="wordshift --seed")
    ap.add_argument("--glove-c", help="a GloVe C tree built by tools/build-glove-reference.sh: run it as the reference")
    ap.add_argument("--keep", action="store_true", help="keep stores and vector files in --work")
    ARGS = ap.parse_args()
    if not (ARGS.raw or ARGS.corpus):
        ap.error("give --raw or --corpus")
    corpus = ARGS.corpus
    prep_s = None
    if ARGS.raw:
        suffix = "-apos" if ARGS.keep_apostrophes else ""
        corpus = os.path.join(ARGS.work, "prepared-" + os.path.basename(ARGS.raw).replace(".gz", "").replace(".txt", "") + suffix + ".txt")
        t = time.time()
        if prepare(ARGS.raw, corpus):
            prep_s = time.time() - t
            log(f"prepared {corpus} in {prep_s:.1f} s")
    rows = []
    if not ARGS.skip_wordshift:
        rows.append(run_wordshift(corpus, ARGS.label))
    if ARGS.glove_c:
        rows.append(run_glove_c(corpus, ARGS.label))
    for name in [m for m in ARGS.models.split(",") if m and m != "none"]:
        rows.append(run_gensim(corpus, ARGS.label, name))

    machine = {"cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
               "cores": os.cpu_count(), "loadavg_end": os.getloadavg()}
    result = {"label": ARGS.label, "corpus": corpus, "raw": ARGS.raw, "prepare_s": prep_s,
              "utc": datetime.datetime.utcnow().isoformat(timespec="seconds") + "Z", "machine": machine, "rows": rows}
    os.makedirs(os.path.join(REPO, "bench-out"), exist_ok=True)
    path = os.path.join(REPO, "bench-out", f"train-{ARGS.label}-{datetime.datetime.utcnow().strftime('%Y%m%dT%H%M%S')}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)

    same = "same run" if not ARGS.skip_wordshift and len(rows) > 1 else "wordshift not in this run" if ARGS.skip_wordshift else "one model"
    print(f"### {ARGS.label}: {corpus} ({same}, {machine['cores']} cores, load at end {machine['loadavg_end'][0]:.2f})\n")
    print("| model | wall s | peak RSS MB | s/iter | vocab | analogies (cov.) | WS353 | SimLex | MEN | RG65 | MTurk771 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['wall_s']:.1f} | {r['peak_rss_mb']:.0f} | {fmt(r.get('seconds_per_iteration'))} | {r.get('vocab')} | "
              f"{fmt(r.get('analogy_accuracy'), True)} ({fmt(r.get('analogy_coverage'), True)}) | {fmt(r.get('WS353'))} | "
              f"{fmt(r.get('SimLex'))} | {fmt(r.get('MEN'))} | {fmt(r.get('RG65'))} | {fmt(r.get('MTurk771'))} |")
    for r in rows:
        if r.get("stages_s"):
            print(f"\nwordshift stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(r["stages_s"].items()))
                  + f"; pairs {r.get('pairs')}")
    print(f"\nJSON: {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    main()
