import json, glob, re, statistics as st
truth = {"rt-75-25": 75, "rt-25-75": 25, "rt-50-50": 50, "imdb-train-75-25": 75, "imdb-train-50-50": 50}
rows = {}
for f in sorted(glob.glob("estimates/*.json")):
    n, s = re.match(r"estimates/(.+)-s(\d)\.json", f).groups()
    try: d = json.load(open(f))
    except Exception: continue
    tp = d["targetPrior"]; pos = tp["labels"].index("pos")
    rows.setdefault(n, []).append((int(s), 100 * tp["prior"][pos], 100 * tp["sourceHeadPrior"][pos],
                                   100 * tp["predictedShares"][pos], 100 * tp["sourceHeadShares"][pos],
                                   [round(100 * x[pos], 1) for x in tp["foldShares"]]))
print("| target | true pos | seed | cross-fitted estimate | source-only head estimate | fold heads' mean share | source-only head share | fold heads' shares |")
print("|---|---|---|---|---|---|---|---|")
for n in truth:
    for s, a, b, q, qs, fs in sorted(rows.get(n, [])):
        print(f"| {n} | {truth[n]} | {s} | {a:.1f} | {b:.1f} | {q:.1f} | {qs:.1f} | {', '.join(map(str, fs))} |")
print()
print("| target | true | cross-fitted: mean ± sd (abs. error) | source-only head: mean ± sd (abs. error) |")
print("|---|---|---|---|")
err = {"rt": ([], []), "imdb": ([], [])}
for n in truth:
    r = rows.get(n, [])
    if not r: continue
    a = [x[1] for x in r]; b = [x[2] for x in r]
    sd = lambda v: st.stdev(v) if len(v) > 1 else 0
    print(f"| {n} | {truth[n]} | {st.mean(a):.1f} ± {sd(a):.1f} ({st.mean(abs(x - truth[n]) for x in a):.1f}) | {st.mean(b):.1f} ± {sd(b):.1f} ({st.mean(abs(x - truth[n]) for x in b):.1f}) |")
    k = "rt" if n.startswith("rt") else "imdb"
    err[k][0].extend(abs(x - truth[n]) for x in a); err[k][1].extend(abs(x - truth[n]) for x in b)
for k, (a, b) in err.items():
    if a: print(f"mean absolute error on {k}: cross-fitted {st.mean(a):.2f}, source-only head {st.mean(b):.2f} (points, {len(a)} estimates)")
