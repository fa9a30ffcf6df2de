#!/usr/bin/env python3
"""A deliberately imbalanced movie target for the label-prior check (BENCHMARKS.md §5).

    python3 tools/imbalanced_target.py OUT_DIR [--positive 0.75] [--seed 1]

Writes, from corpora/data/reviews (or $WORDSHIFT_DATA/reviews):
  OUT_DIR/imdb-train-75-25.txt   unlabeled target text: all positive IMDB *train* reviews and as many
                                 negative ones as make them 75% (labels dropped, order shuffled)
  OUT_DIR/imdb-train-75-25.tsv   the same documents with labels (to score pseudo-labels only)
  OUT_DIR/imdb-test-75-25.tsv    the test set: IMDB *test* subsampled the same way
The share and seed are in the file names only when they differ from 75% and 1.
"""
import argparse, os, random


def subsample(path, positive, rng):
    rows = [line.rstrip("\n").split("\t", 1) for line in open(path, encoding="utf-8") if "\t" in line]
    pos = [r for r in rows if r[0] == "pos"]
    neg = [r for r in rows if r[0] == "neg"]
    keep_neg = round(len(pos) * (1 - positive) / positive)
    if keep_neg > len(neg):
        keep_pos = round(len(neg) * positive / (1 - positive))
        pos = rng.sample(pos, keep_pos)
        keep_neg = len(neg)
    chosen = pos + rng.sample(neg, keep_neg)
    rng.shuffle(chosen)
    return chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--positive", type=float, default=0.75)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    data = os.path.join(os.environ.get("WORDSHIFT_DATA", "corpora/data"), "reviews")
    os.makedirs(a.out, exist_ok=True)
    tag = f"{round(a.positive * 100)}-{round((1 - a.positive) * 100)}" + ("" if a.seed == 1 else f"-s{a.seed}")
    rng = random.Random(a.seed)
    train = subsample(os.path.join(data, "movie-imdb-train.tsv"), a.positive, rng)
    with open(os.path.join(a.out, f"imdb-train-{tag}.txt"), "w", encoding="utf-8") as f:
        f.writelines(text + "\n" for _, text in train)
    with open(os.path.join(a.out, f"imdb-train-{tag}.tsv"), "w", encoding="utf-8") as f:
        f.writelines(f"{label}\t{text}\n" for label, text in train)
    test = subsample(os.path.join(data, "movie-imdb-test.tsv"), a.positive, rng)
    with open(os.path.join(a.out, f"imdb-test-{tag}.tsv"), "w", encoding="utf-8") as f:
        f.writelines(f"{label}\t{text}\n" for label, text in test)
    for name, rows in (("target", train), ("test", test)):
        p = sum(1 for r in rows if r[0] == "pos")
        print(f"{name}: {len(rows)} documents, {p / len(rows):.4f} positive")


if __name__ == "__main__":
    main()
