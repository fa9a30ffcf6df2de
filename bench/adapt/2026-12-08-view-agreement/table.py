#!/usr/bin/env python3
"""Mean estimate per target and mean absolute error per data set, from views-N.txt."""
import collections, re, sys

for path in sys.argv[1:]:
    g = collections.defaultdict(lambda: collections.defaultdict(list))
    for line in open(path):
        m = re.match(r"V=\d+ (\w+ \d+) s\d: true ([\d.]+) dec ([\d.na]+) median-dec ([\d.na]+) scores ([\d.na]+)", line)
        if m:
            for name, v in (("dec", m.group(3)), ("median-dec", m.group(4)), ("scores", m.group(5))):
                g[name][m.group(1)].append(float(v))
    print("==", path)
    for name, targets in g.items():
        errs = collections.defaultdict(list)
        row = []
        for k, v in targets.items():
            true = int(k.split()[1]) / 100
            row.append(f"{k}: {100 * sum(v) / len(v):.1f}")
            errs[k.split()[0]] += [100 * abs(x - true) for x in v]
        print(name, "; ".join(row), "| mean abs error " + ", ".join(f"{d} {sum(e) / len(e):.1f}" for d, e in errs.items()))
