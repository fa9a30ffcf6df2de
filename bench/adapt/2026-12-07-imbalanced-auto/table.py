#!/usr/bin/env python3
"""Per-seed macro-F1 table of the 75/25 runs (BENCHMARKS §5): python3 table.py adapt-seed*.json"""
import json, re, sys, statistics
print("| seed | source-only dev / test macro-F1 | auto's choice | auto dev / test macro-F1 | e+st test | self-train test | EM estimate (pos) | mixture estimate (pos) | source-only head's positive share |")
print("|---|---|---|---|---|---|---|---|---|")
so_t=[]; au_t=[]
for p in sys.argv[1:]:
    seed=int(re.search(r"seed(\d+)",p).group(1)); d=json.load(open(p)); r={x["name"]:x for x in d["rows"]}
    f=lambda n,i: 100*r[n]["scores"][i]["macroF1"]
    notes=" ".join(d["notes"])
    em=re.search(r"EM neg [0-9.]+%, pos ([0-9.]+)%",notes); mx=re.search(r"margin mixture neg [0-9.]+%, pos ([0-9.]+)%",notes)
    sh=re.search(r"source-only: reverse validation of source-only:.*?target labeled [0-9.]+% / ([0-9.]+)%",notes)
    so_t.append(f("source-only",1)); au_t.append(f("auto",1))
    print(f"| {seed} | {f('source-only',0):.1f} / {f('source-only',1):.1f} | {d['autoDecision']['choice']} | {f('auto',0):.1f} / {f('auto',1):.1f} | {f('embeddings + self-train',1):.1f} | {f('self-train',1):.1f} | {em.group(1) if em else '?'}% | {mx.group(1) if mx else '?'}% | {sh.group(1) if sh else '?'}% |")
sd=lambda x: statistics.stdev(x) if len(x)>1 else 0
print(f"\nmean test macro-F1: source-only {statistics.mean(so_t):.2f} ± {sd(so_t):.2f}, auto {statistics.mean(au_t):.2f} ± {sd(au_t):.2f}")
