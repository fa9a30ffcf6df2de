#!/usr/bin/env python3
"""RT polarity dev targets (25/75, 50/50, 75/25 positive): macro-F1 of embeddings + self-train,
self-train and auto with the pseudo-label prior `balanced` against `confusion` (seeds 1-3),
from dev-rt/*.json (`classify compare` reports; the test file is the target itself, labels read
only to score)."""
import json, glob, re, statistics as st, collections
res = collections.defaultdict(dict)
for f in sorted(glob.glob("dev-rt/*.json")):
    t, p, s = re.match(r"dev-rt/rt-(\d+-\d+)-(balanced|confusion)(?:-s(\d))?\.json", f).groups()
    r = json.load(open(f))
    rows = {row["name"]: row["scores"][0]["macroF1"] * 100 for row in r["rows"]}
    res[(t, int(s or 1))][p] = rows
print("| target | seed | source-only | e+st balanced → confusion | self-train balanced → confusion | auto balanced → confusion |")
print("|---|---|---|---|---|---|")
gain = collections.defaultdict(list)
for (t, s), d in sorted(res.items()):
    if set(d) != {"balanced", "confusion"}: continue
    b, c = d["balanced"], d["confusion"]
    cells = []
    for m in ("embeddings + self-train", "self-train", "auto"):
        cells.append(f"{b[m]:.1f} → {c[m]:.1f}")
        gain[m].append(c[m] - b[m])
    print(f"| {t} | {s} | {b['source-only']:.1f} | " + " | ".join(cells) + " |")
for m, g in gain.items():
    print(f"{m}: mean change {st.mean(g):+.2f} ± {st.stdev(g):.2f} over {len(g)} target-seeds")
