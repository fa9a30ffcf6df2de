#!/usr/bin/env python3
"""Per-seed table of what `auto` decided in the rv-mean runs (reads adapt-seedN.json only).

    python3 decisions.py adapt-seed*.json            # what auto decided, per seed
    python3 decisions.py --per-seed adapt-seed*.json # every row's accuracy per seed, mean ± sd

For each report: source-only's reverse-validation scores (the run's own first), their mean ± sd,
the veto margin, each candidate's mean over its reverse heads (range of the draws; "hurt" when
predicted to hurt), the choice, and the chosen row's accuracy on each test set (read after the
choice; the choice never sees them)."""
import json
import re
import statistics
import sys


def pct(x):
    return f"{100 * x:.1f}"


def per_seed(paths):
    reports = [json.load(open(p)) for p in paths]
    seeds = [int(re.search(r"seed(\d+)", p).group(1)) for p in paths]
    tests = reports[0]["tests"]
    head = ["model", "movie labels"]
    for t in tests:
        name = t.split("/")[-1].replace(".tsv", "")
        head += [f"{name} s{s}" for s in seeds] + [f"{name} mean ± sd"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for i, row in enumerate(reports[0]["rows"]):
        cells = [row["name"], str(row["usesTargetLabels"])]
        for j in range(len(tests)):
            xs = [100 * r["rows"][i]["scores"][j]["accuracy"] for r in reports]
            sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
            cells += [f"{x:.1f}" for x in xs] + [f"{statistics.mean(xs):.2f} ± {sd:.2f}"]
        print("| " + " | ".join(cells) + " |")


args = sys.argv[1:]
if args and args[0] == "--per-seed":
    order = sorted(args[1:], key=lambda p: int(re.search(r"seed(\d+)", p).group(1)))
    per_seed(order)
    sys.exit(0)
rows = []
for path in sorted(args, key=lambda p: int(re.search(r"seed(\d+)", p).group(1))):
    seed = int(re.search(r"seed(\d+)", path).group(1))
    report = json.load(open(path))
    d = report["autoDecision"]
    cells = []
    for v in d["verdicts"]:
        draws = v.get("draws") or [v["macroF1"]]
        cells.append(f"{pct(v['macroF1'])} ({pct(min(draws))}–{pct(max(draws))})" + (" hurt" if v["predictedToHurt"] else ""))
    auto = next(r for r in report["rows"] if r["name"] == "auto")
    tests = " / ".join(pct(s["accuracy"]) for s in auto["scores"])
    so = ", ".join(pct(s) for s in d["sourceOnlyScores"])
    sd = d["noise"]
    rows.append(f"| {seed} | {so} | {pct(d['sourceOnlyMean'])} ± {pct(sd)} | {pct(d['margin'])} | "
                + " | ".join(cells) + f" | {d['choice']} | {tests} |")
methods = [v["method"] for v in json.load(open(args[0]))["autoDecision"]["verdicts"]]
print("| seed | source-only scores (run's own first) | mean ± sd | margin | " + " | ".join(methods)
      + " | choice | chosen: test accuracies |")
print("|" + "---|" * (6 + len(methods)))
print("\n".join(rows))
