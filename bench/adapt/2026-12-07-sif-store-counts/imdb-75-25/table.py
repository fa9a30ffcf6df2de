#!/usr/bin/env python3
"""75/25 IMDB runs with SIF p(w) from the store's counts (experiment): per seed, test macro-F1 of
source-only, auto (and its choice), embeddings, embeddings + self-train, self-train; the share of
the 75/25 text the embeddings head labels positive (label-free) and the EM prior estimate.
python3 table.py adapt-seed*.json"""
import json, re, statistics as st, sys
print("| seed | source-only | auto's choice | auto | embeddings | e+st | self-train | embeddings head's positive share | EM estimate (pos) |")
print("|---|---|---|---|---|---|---|---|---|")
cols = {k: [] for k in ("source-only", "auto", "embeddings", "embeddings + self-train", "self-train")}
for p in sys.argv[1:]:
    seed = int(re.search(r"seed(\d+)", p).group(1)); d = json.load(open(p)); r = {x["name"]: x for x in d["rows"]}
    f = lambda n: 100 * r[n]["scores"][0]["macroF1"]
    for k in cols: cols[k].append(f(k))
    notes = " ".join(d["notes"])
    em = re.search(r"EM neg [0-9.]+%, pos ([0-9.]+)%", notes)
    sh = re.search(r"embeddings: reverse validation of embeddings:.*?target labeled [0-9.]+% / ([0-9.]+)%", notes)
    print(f"| {seed} | {f('source-only'):.1f} | {d['autoDecision']['choice']} | {f('auto'):.1f} | {f('embeddings'):.1f} | "
          f"{f('embeddings + self-train'):.1f} | {f('self-train'):.1f} | {sh.group(1) if sh else '?'}% | {em.group(1) if em else '?'}% |")
sd = lambda x: st.stdev(x) if len(x) > 1 else 0
print("\nmean test macro-F1: " + ", ".join(f"{k} {st.mean(v):.2f} ± {sd(v):.2f}" for k, v in cols.items()))
