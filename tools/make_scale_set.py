#!/usr/bin/env python3
"""A 2,000,000-row word2vec binary file for scale benchmarks (issue 13 §4: "a 2M × 300 set for
scale"), built from a store that `wordshift train` made, because the shared Wikipedia corpus has
only 751,875 distinct whitespace tokens and no 2M-word vector file is in the shared data.

Rows: every word of the store as trained (its vectors at their stored length), then the most
frequent corpus bigrams "a_b" whose two words are both in the store, each given the phrase
vector unit(a) + 0.5·unit(b) (order-dependent, so "a_b" and "b_a" differ), scaled to the mean
norm of a and b. Composed rows are derived from the real vectors, not drawn at random; label them
as such wherever a figure uses them. Bigrams are counted per line over the whitespace tokens of
the corpus; equal counts keep their first appearance order (deterministic). A composed name that
is already a word, or another pair's name ("x_y" + "z" and "x" + "y_z"), is skipped.

  tools/make_scale_set.py --store S.sqlite --corpus enwiki-2015.txt.gz --rows 2000000 --out S2M.w2v.bin
"""
import argparse, collections, gzip, json, os, sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from store_vectors import read_store  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    words, norms, units = read_store(a.store)
    index = {w: i for i, w in enumerate(words)}
    need = a.rows - len(words)
    if need < 0:
        sys.exit(f"the store already has {len(words)} rows")
    counts = collections.Counter()
    opener = gzip.open if a.corpus.endswith(".gz") else open
    with opener(a.corpus, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            ids = [index.get(t, -1) for t in line.split()]
            counts.update((x, y) for x, y in zip(ids, ids[1:]) if x >= 0 and y >= 0)
    names = set(words)
    bigrams = []
    for p, _ in counts.most_common():
        if len(bigrams) == need:
            break
        name = words[p[0]] + "_" + words[p[1]]
        if name in names:
            continue
        names.add(name)
        bigrams.append(p)
    if len(bigrams) < need:
        sys.exit(f"only {len(bigrams)} usable in-store bigrams; need {need}")
    dim = units.shape[1]
    left = np.fromiter((p[0] for p in bigrams), dtype=np.int64, count=need)
    right = np.fromiter((p[1] for p in bigrams), dtype=np.int64, count=need)
    with open(a.out, "wb") as out:
        out.write(f"{a.rows} {dim}\n".encode())
        scaled = (units.astype(np.float64) * norms[:, None]).astype("<f4")
        for i, w in enumerate(words):
            out.write(w.encode() + b" " + scaled[i].tobytes() + b"\n")
        block = 65536
        for s in range(0, need, block):
            l, r = left[s:s + block], right[s:s + block]
            v = units[l].astype(np.float64) + 0.5 * units[r].astype(np.float64)
            length = np.linalg.norm(v, axis=1, keepdims=True)
            v /= np.where(length > 0, length, 1.0)
            v *= ((norms[l] + norms[r]) / 2)[:, None]
            v = v.astype("<f4")
            for j in range(len(l)):
                out.write((words[l[j]] + "_" + words[r[j]]).encode() + b" " + v[j].tobytes() + b"\n")
    print(json.dumps({"rows": a.rows, "trained_rows": len(words), "composed_rows": need, "dimension": dim,
                      "distinct_in_store_bigrams": len(counts),
                      "least_count_used": counts[bigrams[-1]] if bigrams else None, "out": a.out}))


if __name__ == "__main__":
    main()
