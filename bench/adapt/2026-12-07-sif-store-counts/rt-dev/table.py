#!/usr/bin/env python3
"""RT dev: the `embeddings` head with SIF p(w) from the store's counts (runs here) against the
default adapted-corpus counts (bench/adapt/2026-12-07-sif/*-sif0.001.json, same seeds and flags):
macro-F1 and accuracy on the target's own labels, reverse validation, share labeled positive;
then the paired differences (store counts minus default)."""
import glob, json, math, os, re, statistics as st, sys
here = os.path.dirname(os.path.abspath(__file__))
base_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "2026-12-07-sif")
def read(f):
    d = json.load(open(f))
    e, te = d["estimates"][0]["reverse"], d["tests"][0]
    return (te["macroF1"] * 100, te["accuracy"] * 100, e["macroF1"] * 100, e["targetShares"][1] * 100)
print("| target | seed | macro-F1 | accuracy | reverse validation | labeled positive |")
print("|---|---|---|---|---|---|")
diffs = {k: [] for k in ("macro-F1", "accuracy", "reverse validation")}
for f in sorted(glob.glob(os.path.join(here, "rt*-s?-storecounts.json"))):
    t, s = re.match(r"(\w+?)-s(\d)-storecounts\.json", os.path.basename(f)).groups()
    if not open(f).read().strip():
        continue  # still running
    v, b = read(f), read(f"{base_dir}/{t}-s{s}-sif0.001.json")
    print(f"| {t} | {s} | " + " | ".join(f"{x:.1f} → {y:.1f}" for x, y in zip(b, v)) + " |")
    for i, k in enumerate(diffs):
        diffs[k].append(v[i] - b[i])
for k, d in diffs.items():
    if len(d) > 1:
        print(f"store counts minus default, {k}: {st.mean(d):+.2f} ± {st.stdev(d):.2f} (n = {len(d)}, paired SE {st.stdev(d) / math.sqrt(len(d)):.2f}; {sum(x < 0 for x in d)} of {len(d)} lower)")
