#!/usr/bin/env python3
"""Peer benchmark for `wordshift classify`: fastText supervised (pip fasttext-wheel 0.9.2) and
Wordshift on the same data in the same run. Text for fastText is prepared as the reference
figures describe: lower-cased, punctuation split off. Usage:
  tools/bench_classify.py --store STORE [--data ../shared/data/reviews] [--wordshift .build-classify/release/wordshift]
"""
import argparse, json, os, subprocess, tempfile, time

import fasttext

from bench_classify_cli import prepare  # fastText's input, made the same way in both scripts


def fasttext_run(train, test, epoch, ngrams, threads):
    t0 = time.time()
    model = fasttext.train_supervised(input=train, lr=0.1, dim=100, epoch=epoch, wordNgrams=ngrams,
                                      thread=threads, verbose=0)
    seconds = time.time() - t0
    n, p, _ = model.test(test)
    return {"accuracy": p, "train_seconds": seconds, "examples": n}


def wordshift_run(binary, store, train, test, epoch, ngrams, threads, name):
    t0 = time.time()
    out = subprocess.run([binary, "classify", "train", store, "--train", train, "--name", name, "--epochs", str(epoch),
                          "--word-ngrams", str(ngrams), "--lr", "0.1", "--valid-fraction", "0", "--threads", str(threads), "--json", "--quiet"],
                         check=True, capture_output=True, text=True).stdout
    wall = time.time() - t0
    summary = json.loads(out)
    ev = json.loads(subprocess.run([binary, "classify", "evaluate", store, "--name", name, test, "--json", "--quiet"],
                                   check=True, capture_output=True, text=True).stdout)
    return {"accuracy": ev["accuracy"], "macro_f1": ev["macroF1"], "train_seconds": summary["trainSeconds"],
            "command_wall_seconds": wall, "epochs_run": summary["epochsRun"]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "reviews"))
    ap.add_argument("--wordshift", default=os.path.join(here, "..", ".build-classify", "release", "wordshift"))
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    train = os.path.join(args.data, "movie-imdb-train.tsv")
    test = os.path.join(args.data, "movie-imdb-test.tsv")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        ft_train, ft_test = os.path.join(tmp, "train.txt"), os.path.join(tmp, "test.txt")
        prepare(train, ft_train)
        prepare(test, ft_test)
        for epoch, ngrams in [(5, 1), (10, 2)]:
            ft = fasttext_run(ft_train, ft_test, epoch, ngrams, args.threads)
            ws = wordshift_run(args.wordshift, args.store, train, test, epoch, ngrams, args.threads,
                               "bench-e%d-n%d" % (epoch, ngrams))
            results.append({"epoch": epoch, "word_ngrams": ngrams, "fasttext": ft, "wordshift": ws})
            print("epoch %2d ngrams %d | fastText %.2f%% in %.1f s | Wordshift %.2f%% in %.1f s (command %.1f s)" % (
                epoch, ngrams, ft["accuracy"] * 100, ft["train_seconds"], ws["accuracy"] * 100, ws["train_seconds"],
                ws["command_wall_seconds"]), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
