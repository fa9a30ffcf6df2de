#!/usr/bin/env python3
"""python3 table.py (here): the `embeddings` head's positive share on the 75/25 text and its
reverse-validation scores, per head seed, over one set of Mittens vectors (hs<seed>.json)."""
import glob, json, re, statistics as st
shares = []
print("| head seed | Mittens vectors | positive share (label-free) | reverse validation, 5 heads (mean) |")
print("|---|---|---|---|")
for p in sorted(glob.glob("hs*.json")):
    r = json.load(open(p))
    note = next(n for n in r["notes"] if n.startswith("reverse validation of embeddings"))
    share = float(re.search(r"target labeled [\d.]+% / ([\d.]+)%", note).group(1))
    heads = [float(x) for x in re.search(r"mean of 5 reverse heads: (.*)$", note).group(1).replace("%", "").split(",")]
    shares.append(share)
    print(f"| {p[2:-5]} | seed 1, {'reused' if r['vectorSetReused'] else 'built'} | {share:.1f}% | {st.mean(heads):.1f} |")
print(f"\nshare mean ± sd {st.mean(shares):.1f} ± {st.stdev(shares):.1f}% over {len(shares)} head seeds")
