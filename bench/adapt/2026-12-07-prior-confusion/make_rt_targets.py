#!/usr/bin/env python3
"""The RT polarity dev targets of this run: rt-75-25, rt-25-75, rt-50-50 (.txt unlabeled, .tsv labeled),
all sentences of the majority class and a seeded sample of the other (random.Random(1) per target).
Usage: python3 make_rt_targets.py [corpora/data/reviews/movie-rt-polarity.tsv]"""
import random, sys
path = sys.argv[1] if len(sys.argv) > 1 else "corpora/data/reviews/movie-rt-polarity.tsv"
rows = [l.rstrip("\n").split("\t", 1) for l in open(path, encoding="utf-8") if "\t" in l]
pos = [r for r in rows if r[0] == "pos"]; neg = [r for r in rows if r[0] == "neg"]
for tag, share in (("75-25", 0.75), ("25-75", 0.25), ("50-50", 0.5)):
    rng = random.Random(1)
    if share >= 0.5:
        p = pos; n = rng.sample(neg, round(len(pos) * (1 - share) / share))
    else:
        n = neg; p = rng.sample(pos, round(len(neg) * share / (1 - share)))
    chosen = p + n; rng.shuffle(chosen)
    open(f"rt-{tag}.txt", "w").writelines(t + "\n" for _, t in chosen)
    open(f"rt-{tag}.tsv", "w").writelines(f"{l}\t{t}\n" for l, t in chosen)
    print(tag, len(chosen), sum(1 for r in chosen if r[0] == "pos") / len(chosen))
