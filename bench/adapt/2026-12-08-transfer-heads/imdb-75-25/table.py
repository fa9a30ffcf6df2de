#!/usr/bin/env python3
"""python3 table.py (here): test macro-F1 on the 75/25 IMDB test subsample, per method, under
--transfer-heads 5 (adapt-seed*.json, this directory) against the one-head 37c8c05 runs of the
same command and seeds (../../2026-12-07-imbalanced-auto/adapt-seed*.json). Test figures: a report."""
import glob, json
for new in sorted(glob.glob("adapt-seed*.json")):
    n, o = json.load(open(new)), json.load(open("../../2026-12-07-imbalanced-auto/" + new))
    col = lambda r: {x["name"]: 100 * x["scores"][1]["macroF1"] for x in r["rows"]}
    a, b = col(o), col(n)
    print(f"{new}: " + "; ".join(f"{m} {a[m]:.1f} → {b[m]:.1f}" for m in ("source-only", "embeddings", "embeddings + self-train", "self-train", "auto"))
          + f"; auto chose {o['autoDecision']['choice']} → {n['autoDecision']['choice']}")
