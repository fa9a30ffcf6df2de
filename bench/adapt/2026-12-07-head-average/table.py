#!/usr/bin/env python3
"""python3 table.py (here): 1) RT dev, the averaged head (K = 5, rt-dev/*-k5.json) against one
head (../2026-12-07-sif/*-sif0.001.json, same seeds, targets and flags): macro-F1 and positive
share; 2) label-free, the 75/25 IMDB text: positive share of the averaged head (imdb75-s*-k5.json)
against one head (../2026-12-07-mittens-iterations/i10-s*.json, same seeds and flags)."""
import glob, json, os, re, statistics as st


def share(r):
    note = next(n for n in r["notes"] if n.startswith("reverse validation of embeddings"))
    return float(re.search(r"target labeled [\d.]+% / ([\d.]+)%", note).group(1))


changes = []
print("| RT target | seed | macro-F1, 1 head → mean of 5 | positive share, 1 → 5 |")
print("|---|---|---|---|")
for p in sorted(glob.glob("rt-dev/rt*-s*-k5.json")):
    t, s = re.search(r"(rt\d+)-s(\d)", p).groups()
    a, b = json.load(open(f"../2026-12-07-sif/{t}-s{s}-sif0.001.json")), json.load(open(p))
    fa, fb = 100 * a["tests"][0]["macroF1"], 100 * b["tests"][0]["macroF1"]
    changes.append(fb - fa)
    print(f"| {t} | {s} | {fa:.1f} → {fb:.1f} | {share(a):.1f}% → {share(b):.1f}% |")
if len(changes) > 1:
    sd = st.stdev(changes)
    print(f"\nmacro-F1 change: {st.mean(changes):+.2f} ± {sd:.2f} (paired se {sd / len(changes) ** 0.5:.2f}, {len(changes)} target-seeds)")

one, five = [], []
print("\n| seed | positive share of the 75% text, 1 head → mean of 5 (label-free) |")
print("|---|---|")
for p in sorted(glob.glob("imdb75-s*-k5.json")):
    s = re.search(r"-s(\d)", p).group(1)
    a, b = share(json.load(open(f"../2026-12-07-mittens-iterations/i10-s{s}.json"))), share(json.load(open(p)))
    one.append(a); five.append(b)
    print(f"| {s} | {a:.1f}% → {b:.1f}% |")
if len(five) > 1:
    print(f"\nmean ± sd: one head {st.mean(one):.1f} ± {st.stdev(one):.1f}%, mean of 5 {st.mean(five):.1f} ± {st.stdev(five):.1f}%")
