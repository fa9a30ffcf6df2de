#!/usr/bin/env python3
"""Replays `--method auto` on saved `classify compare` reports with one more, label-free veto:
a candidate whose positive share on the target text differs from the source-only head's share
by more than T points is not chosen (the source-only head's share is a label-free reading of
the target's class balance). Nothing is trained again: the shares, the reverse-validation
vetoes and every method's scores are read from the reports' notes and rows.

    python3 replay.py     (from this directory)

RT polarity (dev; 25/75, 50/50, 75/25 targets, seeds 1-3, default prior `balanced`) decides,
by the rule of the SIF decision: a threshold is adopted only if its paired gain over "no share
veto" exceeds one standard error. The IMDB tables (75/25 text, 3 seeds; balanced movie text,
5 seeds) are printed after the RT decision and are reports only.
"""
import glob, json, re, statistics as st

ORDER = ["embeddings", "embeddings + self-train", "self-train"]  # auto's preference order (RT)
SHORT = {"embeddings": "E", "embeddings + self-train": "EST", "self-train": "ST", "source-only": "SO"}
THRESHOLDS = [None, 25, 20, 17.5, 15, 12.5, 10, 7.5, 5]


def load(path, test):
    r = json.load(open(path))
    column = next(i for i, t in enumerate(r["tests"]) if t.endswith(test))
    share, hurt = {}, set()
    for note in r["notes"]:
        m = re.match(r"(.+?): reverse validation of .+?: .*target labeled ([\d.]+)% / ([\d.]+)%", note)
        if m:
            share[m.group(1)] = float(m.group(3))  # the second class is `pos`
        if note.startswith("auto:"):
            for c in ORDER:
                if re.search(r"(?:; |, )" + re.escape(c) + r" [\d.]+% \([^)]*\) predicted to hurt", note):
                    hurt.add(c)
    f1 = {row["name"]: row["scores"][column]["macroF1"] * 100 for row in r["rows"]}
    return {"path": path, "share": share, "hurt": hurt, "f1": f1}


def choose(run, T):
    for c in ORDER:
        if c in run["hurt"] or c not in run["share"]:
            continue
        if T is not None and abs(run["share"][c] - run["share"]["source-only"]) > T:
            continue
        return c
    return "source-only"


def table(title, paths, test):
    runs = [load(p, test) for p in paths]
    for r in runs:
        assert choose(r, None) and abs(r["f1"][choose(r, None)] - r["f1"]["auto"]) < 1e-9, f"replay differs from auto: {r['path']}"
    print(f"\n## {title}\n")
    print("| T (points) | auto macro-F1, mean | paired change vs no share veto (mean ± sd, se) | choices |")
    print("|---|---|---|---|")
    base = [r["f1"][choose(r, None)] for r in runs]
    for T in THRESHOLDS:
        sc = [r["f1"][choose(r, T)] for r in runs]
        d = [a - b for a, b in zip(sc, base)]
        sd = st.stdev(d)
        print(f"| {'none' if T is None else T} | {st.mean(sc):.2f} | {st.mean(d):+.2f} ± {sd:.2f} (se {sd / len(d) ** 0.5:.2f}) | "
              + " ".join(SHORT[choose(r, T)] for r in runs) + " |")
    print(f"\nmacro-F1 on {test}; source-only mean {st.mean(r['f1']['source-only'] for r in runs):.2f}; runs: "
          + ", ".join(p.split('/')[-1] for p in paths))


if __name__ == "__main__":
    dev = sorted(glob.glob("../2026-12-07-prior-confusion/dev-rt/*balanced*.json"))
    table("RT polarity dev targets (decides)", dev, ".tsv")  # each report's one test: its own target
    table("IMDB 75/25 text, 75/25 test subsample (report)", sorted(glob.glob("../2026-12-07-imbalanced-auto/adapt-seed*.json")),
          "imdb-test-75-25.tsv")
    table("IMDB, balanced movie text, IMDB test (report)", sorted(glob.glob("../2026-12-07-rv-mean/adapt-seed*.json")),
          "movie-imdb-test.tsv")
