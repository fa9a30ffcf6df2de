#!/usr/bin/env python3
"""The SIF table of BENCHMARKS §5 from the runs here: per target and seed, the `embeddings` head
with SIF 1e-3 → without (macro-F1 and accuracy on the target's own labels, the reverse-validation
score, the share of the target it labels positive), then the paired means on the RT dev targets."""
import glob, json, re, statistics as st
rows = {}
for f in sorted(glob.glob("*-s?-sif*.json")):
    t, s, sif = re.match(r"(\w+?)-s(\d)-sif([\d.]+)\.json", f).groups()
    d = json.load(open(f))
    e, te = d["estimates"][0]["reverse"], d["tests"][0]
    rows[(t, int(s), sif)] = (te["macroF1"] * 100, te["accuracy"] * 100, e["macroF1"] * 100, e["targetShares"][1] * 100)
print("| target | seed | macro-F1 | accuracy | reverse validation | labeled positive |")
print("|---|---|---|---|---|---|")
diffs = {k: [] for k in ("f1", "acc", "rv")}
for (t, s, sif), v in sorted(rows.items()):
    if sif != "0" or (t, s, "0.001") not in rows:
        continue
    b = rows[(t, s, "0.001")]
    print(f"| {t} | {s} | " + " | ".join(f"{x:.1f} → {y:.1f}" for x, y in zip(b, v)) + " |")
    if t.startswith("rt"):
        for k, i in (("f1", 0), ("acc", 1), ("rv", 2)):
            diffs[k].append(v[i] - b[i])
for k, d in diffs.items():
    print(f"RT dev, without SIF minus with: {k} {st.mean(d):+.2f} ± {st.stdev(d):.2f} (n = {len(d)})")
