#!/usr/bin/env python3
"""Mean ± sd over several `wordshift classify adapt --report FILE` (or `--json`) reports (one per seed).

    python3 tools/adapt_summary.py bench-out/adapt2/adapt-seed*.json

Prints a Markdown table: per row and test set, accuracy mean ± sd and macro-F1 mean; the share
of the gap closed is computed from the means (source-only row to the best upper-bound row),
so one seed's lucky or unlucky baseline does not decide it.
"""
import json, statistics, sys


def main(paths):
    reports = [json.load(open(p)) for p in paths]
    tests = [t for t in reports[0]["tests"]]
    names = [r["name"] for r in reports[0]["rows"]]
    acc = {}
    f1 = {}
    for rep in reports:
        for row in rep["rows"]:
            for s in row["scores"]:
                acc.setdefault((row["name"], s["test"]), []).append(100 * s["accuracy"])
                f1.setdefault((row["name"], s["test"]), []).append(100 * s["macroF1"])
    kinds = {r["name"]: r["kind"] for r in reports[0]["rows"]}
    labels = {r["name"]: r["usesTargetLabels"] for r in reports[0]["rows"]}
    header = "| model | movie labels | " + " | ".join(f"{t.split('/')[-1]} acc | macro-F1 | gap closed" for t in tests) + " |"
    print(header)
    print("|" + "---|" * (2 + 3 * len(tests)))
    for n in names:
        cells = [n, str(labels[n])]
        for t in tests:
            a = acc[(n, t)]
            base = statistics.mean(acc[("source-only", t)])
            # Without an in-domain bound (LABELED=none) there is no gap to close.
            uppers = [statistics.mean(acc[(m, t)]) for m in names if kinds[m] == "upper-bound" and (m, t) in acc]
            upper = max(uppers) if uppers else None
            gap = "-" if upper is None or upper == base else f"{(statistics.mean(a) - base) / (upper - base) * 100:.0f}%"
            sd = statistics.stdev(a) if len(a) > 1 else 0.0
            cells += [f"{statistics.mean(a):.1f} ± {sd:.1f}", f"{statistics.mean(f1[(n, t)]):.1f}", gap]
        print("| " + " | ".join(cells) + " |")
    # Few-shot against K = 0, paired by seed (issue 11 §6 targets: K=50 ≥ K0 − 0.5, K=200 ≥ K0 + 0.5,
    # K=1000 ≥ K0 + 2 points, mean over seeds).
    shots = [n for n in names if n.startswith("few-shot K=") and n != "few-shot K=0"]
    if "few-shot K=0" in names and shots:
        print("\n| few-shot − K=0 (paired by seed) | " + " | ".join(t.split('/')[-1] for t in tests) + " |")
        print("|" + "---|" * (1 + len(tests)))
        for n in shots:
            cells = [n]
            for t in tests:
                d = [a - b for a, b in zip(acc[(n, t)], acc[("few-shot K=0", t)])]
                sd = statistics.stdev(d) if len(d) > 1 else 0.0
                cells.append(f"{statistics.mean(d):+.2f} ± {sd:.2f}")
            print("| " + " | ".join(cells) + " |")
    print(f"\n{len(reports)} reports: " + ", ".join(paths))
    # Label-free diagnostics and choices each run wrote (estimated prior, reverse validation,
    # few-shot anchor), one line per report.
    for p, rep in zip(paths, reports):
        for note in rep.get("notes", []):
            print(f"- {p.split('/')[-1]}: {note}")


if __name__ == "__main__":
    main(sys.argv[1:])
