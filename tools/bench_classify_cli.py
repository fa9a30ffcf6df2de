#!/usr/bin/env python3
"""Whole-process benchmark of `wordshift classify train|predict` against the fastText command
line (Debian's `fasttext` 0.9.2), issue 11's like-for-like rule: both sides are separate
processes reading their own files, with the same epochs, learning rate, dimension, word n-grams,
threads, bucket count and seed; wall time and peak RSS come from /usr/bin/time for each process.

    tools/bench_classify_cli.py --store STORE --wordshift .build/release/wordshift \
        [--data corpora/data/reviews] [--threads 2] [--buckets 2000000] [--seeds 1 2 3] --out OUT.json

fastText's input is prepared once, untimed (lower-cased, punctuation split off, `__label__x text`
lines), as its users prepare it; Wordshift reads the TSV files as they are. Each seed runs both
settings (5 epochs unigrams; 10 epochs bigrams) on both tools, the tool order alternating per seed.
Accuracy is measured afterwards with each tool's own test command (untimed). The store is copied
fresh for every Wordshift run, so heads do not pile up in it.
"""
import argparse, json, os, re, shutil, statistics, subprocess, tempfile, time


def prepare(src, dst):
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            label, _, text = line.rstrip("\n").partition("\t")
            text = re.sub(r"([^\w\s])", r" \1 ", text.lower())
            out.write("__label__%s %s\n" % (label, " ".join(text.split())))


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak RSS MiB, stdout text or None)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd, stdout=stdout,
                              stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        if proc.returncode != 0:
            raise SystemExit("failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr[-2000:]))
        fields = tf.read().split()
        rss = int(fields[-1]) / 1024.0
    return wall, rss, (proc.stdout if stdout == subprocess.PIPE else None)


def fasttext_side(tmp, train, test, epoch, ngrams, threads, buckets, seed):
    model = os.path.join(tmp, "ft-model")
    train_s, train_rss, _ = timed(["fasttext", "supervised", "-input", train, "-output", model, "-lr", "0.1",
                                   "-dim", "100", "-epoch", str(epoch), "-wordNgrams", str(ngrams),
                                   "-thread", str(threads), "-bucket", str(buckets), "-seed", str(seed),
                                   "-verbose", "0"])
    out = subprocess.run(["fasttext", "test", model + ".bin", test], check=True, capture_output=True,
                         text=True).stdout
    accuracy = float(re.search(r"P@1\s+([0-9.]+)", out).group(1))
    predict_s, predict_rss, _ = timed(["fasttext", "predict", model + ".bin", test])
    return {"train_seconds": train_s, "train_peak_rss_mib": train_rss, "accuracy": accuracy,
            "predict_seconds": predict_s, "predict_peak_rss_mib": predict_rss}


def wordshift_side(binary, tmp, store, train, test, epoch, ngrams, threads, buckets, seed):
    work = os.path.join(tmp, "ws.sqlite")
    shutil.copyfile(store, work)
    train_s, train_rss, _ = timed([binary, "classify", "train", work, "--train", train, "--name", "bench",
                                   "--epochs", str(epoch), "--word-ngrams", str(ngrams), "--lr", "0.1",
                                   "--buckets", str(buckets), "--threads", str(threads), "--seed", str(seed),
                                   "--valid-fraction", "0", "--quiet"])
    ev = json.loads(subprocess.run([binary, "classify", "evaluate", work, "--name", "bench", test, "--json",
                                    "--quiet"], check=True, capture_output=True, text=True).stdout)
    predict_s, predict_rss, _ = timed([binary, "classify", "predict", work, "--name", "bench", test, "--quiet"])
    os.remove(work)
    return {"train_seconds": train_s, "train_peak_rss_mib": train_rss, "accuracy": ev["accuracy"],
            "predict_seconds": predict_s, "predict_peak_rss_mib": predict_rss}


def summary(values):
    return {"mean": statistics.mean(values), "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
            "values": values}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="Wordshift store whose vectors the heads start from")
    ap.add_argument("--wordshift", required=True, help="release build of wordshift")
    ap.add_argument("--data", default=os.path.join(here, "..", "corpora", "data", "reviews"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--buckets", type=int, default=2000000, help="both tools (fastText's default)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if shutil.which("fasttext") is None:
        raise SystemExit("the fastText command line is missing: apt-get install fasttext")
    train_tsv = os.path.join(args.data, "movie-imdb-train.tsv")
    test_tsv = os.path.join(args.data, "movie-imdb-test.tsv")
    runs = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
        ft_train, ft_test = os.path.join(tmp, "train.txt"), os.path.join(tmp, "test.txt")
        prepare(train_tsv, ft_train)
        prepare(test_tsv, ft_test)
        for n, seed in enumerate(args.seeds):
            for epoch, ngrams in [(5, 1), (10, 2)]:
                sides = ["fasttext", "wordshift"] if n % 2 == 0 else ["wordshift", "fasttext"]
                row = {"seed": seed, "epochs": epoch, "word_ngrams": ngrams}
                for side in sides:
                    if side == "fasttext":
                        row[side] = fasttext_side(tmp, ft_train, ft_test, epoch, ngrams, args.threads, args.buckets, seed)
                    else:
                        row[side] = wordshift_side(args.wordshift, tmp, args.store, train_tsv, test_tsv, epoch, ngrams,
                                                   args.threads, args.buckets, seed)
                runs.append(row)
                print(json.dumps(row), flush=True)
    table = {}
    for epoch, ngrams in [(5, 1), (10, 2)]:
        rows = [r for r in runs if r["epochs"] == epoch and r["word_ngrams"] == ngrams]
        key = "%d epochs, %s" % (epoch, "unigrams" if ngrams == 1 else "bigrams")
        table[key] = {side: {m: summary([r[side][m] for r in rows])
                             for m in ["accuracy", "train_seconds", "predict_seconds", "train_peak_rss_mib",
                                       "predict_peak_rss_mib"]}
                      for side in ["fasttext", "wordshift"]}
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=here).stdout.strip()
    result = {"command": "tools/bench_classify_cli.py " + " ".join(
                  "--%s %s" % (k, " ".join(map(str, v)) if isinstance(v, list) else v) for k, v in vars(args).items()),
              "commit": commit, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "threads": args.threads, "buckets": args.buckets, "runs": runs, "summary": table}
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    for key, sides in table.items():
        ft, ws = sides["fasttext"], sides["wordshift"]
        print("%s: accuracy fastText %.4f ± %.4f, Wordshift %.4f ± %.4f; train %.2f ± %.2f s vs %.2f ± %.2f s; "
              "predict %.2f ± %.2f s vs %.2f ± %.2f s" % (
                  key, ft["accuracy"]["mean"], ft["accuracy"]["sd"], ws["accuracy"]["mean"], ws["accuracy"]["sd"],
                  ft["train_seconds"]["mean"], ft["train_seconds"]["sd"], ws["train_seconds"]["mean"],
                  ws["train_seconds"]["sd"], ft["predict_seconds"]["mean"], ft["predict_seconds"]["sd"],
                  ws["predict_seconds"]["mean"], ws["predict_seconds"]["sd"]))


if __name__ == "__main__":
    main()
