#!/usr/bin/env python3
"""Tables of this directory (python3 table.py, here):
1. IMDB 75/25 text, label-free: the `embeddings` head's positive share and reverse-validation
   macro-F1 (mean of its 5 reverse heads), and the Mittens run's last cost, at 10 and 30
   iterations (i<iterations>-s<seed>.json and .log).
2. RT dev targets (rt-dev/): test macro-F1 at 30 iterations against the 10-iteration runs of
   ../2026-12-07-sif (*-sif0.001.json: same seeds, targets and flags)."""
import glob, json, os, re, statistics as st


def reading(path):
    """(positive share %, mean reverse-validation macro-F1 %, last Mittens cost or None)."""
    r = json.load(open(path))
    note = next(n for n in r["notes"] if n.startswith("reverse validation of embeddings"))
    share = float(re.search(r"target labeled [\d.]+% / ([\d.]+)%", note).group(1))
    heads = re.search(r"mean of 5 reverse heads: (.*)$", note).group(1).replace("%", "").split(",")
    log = path[:-5] + ".log"
    costs = re.findall(r"iter \d+/\d+\s+cost ([\d.]+)", open(log).read()) if os.path.exists(log) else []
    return share, st.mean(float(x) for x in heads), (float(costs[-1]) if costs else None)


print("| iterations | seed | positive share of the 75% text (label-free) | reverse validation, mean of 5 heads | last Mittens cost |")
print("|---|---|---|---|---|")
for it in (10, 30):
    shares = []
    for p in sorted(glob.glob(f"i{it}-s*.json")):
        seed = re.search(r"-s(\d+)", p).group(1)
        share, rv, cost = reading(p)
        shares.append(share)
        print(f"| {it} | {seed} | {share:.1f}% | {rv:.1f} | {cost if cost is not None else '?'} |")
    if len(shares) > 1:
        print(f"| {it} | mean ± sd | {st.mean(shares):.1f} ± {st.stdev(shares):.1f}% | | |")

changes = []
print("\n| RT target | seed | macro-F1, 10 → 30 iterations | positive share, 10 → 30 |")
print("|---|---|---|---|")
for p in sorted(glob.glob("rt-dev/rt*-s*-i30.json")):
    t, s = re.search(r"(rt\d+)-s(\d)", p).groups()
    old = f"../2026-12-07-sif/{t}-s{s}-sif0.001.json"
    a, b = json.load(open(old)), json.load(open(p))
    fa, fb = 100 * a["tests"][0]["macroF1"], 100 * b["tests"][0]["macroF1"]
    changes.append(fb - fa)
    print(f"| {t} | {s} | {fa:.1f} → {fb:.1f} | {reading(old)[0]:.1f}% → {reading(p)[0]:.1f}% |")
if len(changes) > 1:
    sd = st.stdev(changes)
    print(f"\nmacro-F1 change with 30 iterations: {st.mean(changes):+.2f} ± {sd:.2f} "
          f"(paired se {sd / len(changes) ** 0.5:.2f}, {len(changes)} target-seeds)")
check = "rt-dev/rt25-s1-i10.json"
if os.path.exists(check):
    a, b = json.load(open("../2026-12-07-sif/rt25-s1-sif0.001.json")), json.load(open(check))
    print(f"\nbinary check, rt25 seed 1 at 10 iterations: bde5f63 {100 * a['tests'][0]['macroF1']:.4f}, "
          f"this binary {100 * b['tests'][0]['macroF1']:.4f}")
