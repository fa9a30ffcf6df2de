#!/usr/bin/env python3
"""Markdown table of a bench_ann.py JSON: per threads and ef, recall@10 and q/s (mean ± sd over
the runs) of wordshift and hnswlib, and the ratio of the means. Usage: table.py FILE.json"""
import json, statistics as st, sys

d = json.load(open(sys.argv[1]))
rows = {}
builds = {}
for r in d["runs"]:
    peer = r["peer"]
    builds.setdefault(peer, []).append(r["build_seconds"])
    for p in r.get("points", []):
        rows.setdefault((p["threads"], p["ef"]), {}).setdefault(peer, []).append((p["recall"], p["queries_per_second"]))


def ms(v):
    return (st.mean(v), st.stdev(v) if len(v) > 1 else 0.0)


print(f"{d['store']} · commit {d['commit']} · {d['date']} · load {d['load_average_start']:.2f} → {d['load_average_end']:.2f}")
for peer, b in builds.items():
    m, s = ms(b)
    print(f"build {peer}: {m:.1f} ± {s:.1f} s over {len(b)} builds")
print("| threads | ef | recall@10 wordshift | q/s wordshift | recall@10 hnswlib | q/s hnswlib | q/s ratio |")
print("|---|---|---|---|---|---|---|")
for (t, ef), peers in sorted(rows.items()):
    w, h = peers.get("wordshift"), peers.get("hnswlib")
    if not w or not h:
        continue
    wr, hr = st.mean(x[0] for x in w), st.mean(x[0] for x in h)
    (wq, wsd), (hq, hsd) = ms([x[1] for x in w]), ms([x[1] for x in h])
    print(f"| {t} | {ef} | {wr:.4f} | {wq:,.0f} ± {wsd:,.0f} | {hr:.4f} | {hq:,.0f} ± {hsd:,.0f} | {wq / hq:.2f}× |")
