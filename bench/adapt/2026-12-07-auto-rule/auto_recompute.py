#!/usr/bin/env python3
"""Recompute `--method auto`'s choice (rule of 2026-12-07 06:15 UTC, AdaptationEstimate.decide) for
saved `classify compare` reports, without rerunning Mittens or any candidate head.

  auto_recompute.py WORDSHIFT_BINARY SOURCE_STORE OUT.json REPORT.json...

Per report (seed s): the candidates' reverse-validation macro-F1 and source-only's own come from the
report's notes (the run's heads); the 4 source-only replicates are computed now, as
DomainAdapter.sourceOnlyReplicates does: `classify adapt --method source-only --seed replicateSeed(s, r)`
(head, target sample and reverse head seeded with it), same flags as tools/bench_adapt.sh, on a
scratch copy of the store (deleted after each run). Then the rule picks, and the auto row is the
chosen method's row of the same report. Reads no target label: IMDB/RT scores are only copied from
the report after the choice."""
import json, os, re, shutil, subprocess, sys, tempfile, time

binary, store, out, *reports = sys.argv[1:]
D = os.environ.get("WORDSHIFT_DATA", "corpora/data") + "/reviews"
CANDIDATES = ["embeddings", "embeddings + self-train", "self-train"]  # preference order (RT dev, seeds 1-3)
REPLICATES, Z = 5, 2.0
GOLDEN = 0x9E3779B97F4A7C15

def replicate_seed(seed, r):
    return seed if r == 0 else (seed + r * GOLDEN) % (1 << 64)

def decide(cands, so):
    n = len(so); mean = sum(so) / n
    sd = (sum((x - mean) ** 2 for x in so) / (n - 1)) ** 0.5 if n > 1 else 0.0
    margin = Z * sd * (1 + 1 / n) ** 0.5
    verdicts = [(m, f, f - mean, f <= 0 or f < mean - margin) for m, f in cands]
    choice = next((m for m, f, d, hurt in verdicts if not hurt), "source-only")
    return dict(choice=choice, sourceOnlyScores=so, sourceOnlyMean=mean, noise=sd, margin=margin,
                verdicts=[dict(method=m, macroF1=f, difference=d, predictedToHurt=h) for m, f, d, h in verdicts])

def rv_from_notes(notes):
    rv = {}
    for n in notes:
        m = re.match(r"(.+?): reverse validation of (.+?): macro-F1 ([0-9.]+)%", n)
        if m and m.group(1) == m.group(2): rv[m.group(1)] = float(m.group(3)) / 100
    return rv

results = {"started": time.strftime("%FT%TZ", time.gmtime()), "binary": binary, "store": store,
           "rule": "AdaptationEstimate.decide: z=2, 5 source-only head seeds, candidates " + ", ".join(CANDIDATES), "seeds": []}
for path in reports:
    rep = json.load(open(path))
    seed = int(re.search(r"seed(\d+)", os.path.basename(path)).group(1))
    rv = rv_from_notes(rep["notes"])
    reps = []
    for r in range(1, REPLICATES):
        s = replicate_seed(seed, r)
        with tempfile.TemporaryDirectory(dir="/work/artifacts/adapt-science/exp") as tmp:
            scratch = os.path.join(tmp, "store.sqlite"); shutil.copy(store, scratch)
            cmd = [binary, "classify", "adapt", scratch, "--source", f"{D}/restaurant-zomato-hyderabad.tsv",
                   f"{D}/restaurant-yelp-kaggle-3k.tsv", f"{D}/restaurant-yelp-sentences.tsv",
                   "--target-unlabeled", f"{D}/movie-unlabeled.txt.gz", "--target-limit", "50000", "--method", "source-only",
                   "--mu", "0.1", "--word-ngrams", "2", "--epochs", "10", "--threads", "2", "--seed", str(s),
                   "--name", "replicate", "--json", "-q"]
            t0 = time.time()
            o = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            f1 = o["estimates"][0]["reverse"]["macroF1"]
            reps.append(dict(r=r, seed=str(s), macroF1=f1, seconds=round(time.time() - t0, 1), command=cmd[:3] + ["STORE-COPY"] + cmd[4:]))
            print(f"seed {seed} replicate {r}: RV macro-F1 {f1*100:.2f}%", file=sys.stderr, flush=True)
    d = decide([(m, rv[m]) for m in CANDIDATES if m in rv], [rv["source-only"]] + [x["macroF1"] for x in reps])
    rows = {r["name"]: r for r in rep["rows"]}
    chosen = rows[d["choice"]]
    results["seeds"].append(dict(seed=seed, report=path, replicates=reps, decision=d,
                                 old_auto={t["test"]: t["accuracy"] for t in rows["auto"]["scores"]},
                                 new_auto={t["test"]: t["accuracy"] for t in chosen["scores"]}))
    print(f"seed {seed}: chose {d['choice']} (source-only {d['sourceOnlyMean']*100:.2f} ± {d['noise']*100:.2f}, margin {d['margin']*100:.2f})",
          file=sys.stderr, flush=True)
    json.dump(results, open(out, "w"), indent=1)
results["ended"] = time.strftime("%FT%TZ", time.gmtime())
json.dump(results, open(out, "w"), indent=1)
