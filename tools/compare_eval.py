#!/usr/bin/env python3
"""Run gensim 4.4's evaluations and Wordshift's on the same vectors, side by side.

Peer-comparison tooling only; the Wordshift product never depends on Python.

    python3 tools/compare_eval.py --vectors VEC [--binary] [--no-header] --store STORE \
        --analogies questions-words.txt --similarity wordsim353.tsv simlex999.txt ... \
        [--restrict-vocab 300000] [--json OUT] [--gensim-only] [--wordshift PATH]

gensim side (KeyedVectors.load_word2vec_format(VEC, binary=..., no_header=...)):
  * evaluate_word_analogies(FILE, restrict_vocab=N, case_insensitive=True): total accuracy =
    correct / (correct + incorrect); per section correct / attempted / total questions;
    coverage = attempted / questions in the file; semantic = sections not starting with
    "gram", syntactic = sections starting with "gram" (Google set naming).
  * evaluate_word_pairs(FILE, restrict_vocab=N, case_insensitive=True): Spearman rho,
    Pearson r, OOV ratio. gensim's reader skips '#' lines and needs exactly 3 fields per
    line split on one delimiter, so: the delimiter is '\\t' if the first data line has a tab,
    else ' ' (MEN); lines with 5 tab fields (SimVerb-3500: w1 w2 POS score relation) are
    rewritten to a temporary 3-column copy (w1, w2, score) first. CRLF is harmless (float()
    strips it). pairs = lines gensim can parse, used = pairs - OOV pairs.
Wordshift side: `wordshift evaluate analogies STORE FILE --restrict-vocab N --json` and
`wordshift evaluate similarity STORE FILE... --restrict-vocab N --json` on the original files.

Exit status 1 if the total analogy accuracy differs by more than 0.1 percentage points or
any Spearman rho by more than 0.001 (Pearson and coverage differences are shown, not gated);
2 on usage/run errors.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANALOGY_PP_TOL = 0.1
RHO_TOL = 0.001


def _quiet_gensim_logs():
    import logging
    logging.getLogger("gensim").setLevel(logging.WARNING)


# --------------------------------------------------------------------------- gensim side

def analogy_questions(path):
    """Questions per section, parsed like gensim (': name' starts a section)."""
    counts, order, section = {}, [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(": "):
                section = line[2:].strip()
                order.append(section)
                counts[section] = 0
            elif line.strip():
                counts[section] = counts.get(section, 0) + 1
    return order, counts


def gensim_analogies(kv, path, restrict):
    score, sections = kv.evaluate_word_analogies(path, restrict_vocab=restrict,
                                                 case_insensitive=True)
    order, totals = analogy_questions(path)
    out = []
    agg = {"semantic": [0, 0, 0], "syntactic": [0, 0, 0]}
    for s in sections:
        if s["section"] == "Total accuracy":
            continue
        c, a = len(s["correct"]), len(s["correct"]) + len(s["incorrect"])
        t = totals.get(s["section"], a)
        out.append({"name": s["section"], "correct": c, "attempted": a, "total": t,
                    "accuracy": c / a if a else 0.0})
        k = agg["syntactic" if s["section"].startswith("gram") else "semantic"]
        k[0] += c
        k[1] += a
        k[2] += t
    total = next(s for s in sections if s["section"] == "Total accuracy")
    c, a = len(total["correct"]), len(total["correct"]) + len(total["incorrect"])
    nq = sum(totals.values())
    res = {"file": path, "restrict_vocab": restrict, "sections": out,
           "total": {"correct": c, "attempted": a, "total": nq,
                     "accuracy": c / a if a else 0.0, "coverage": a / nq if nq else 0.0}}
    for name, (c2, a2, t2) in agg.items():
        res[name] = {"correct": c2, "attempted": a2, "total": t2,
                     "accuracy": c2 / a2 if a2 else 0.0}
    assert abs(res["total"]["accuracy"] - score) < 1e-12, (score, res["total"])
    return res


def pairs_input(path, tmpdir):
    """(file for gensim, delimiter, number of lines gensim will parse, note)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    data = [l for l in lines if l and not l.startswith("#")]
    delim = "\t" if data and "\t" in data[0] else " "
    note = ""
    if data and len(data[0].split("\t")) == 5:
        out = os.path.join(tmpdir, os.path.basename(path) + ".3col")
        with open(out, "w", encoding="utf-8") as f:
            for l in data:
                p = l.split("\t")
                if len(p) == 5:
                    f.write(f"{p[0]}\t{p[1]}\t{p[3]}\n")
        note = "5 columns -> temporary 3-column copy (w1, w2, score)"
        path, delim = out, "\t"
        with open(path, encoding="utf-8") as f:
            data = f.read().splitlines()
    valid = 0
    for l in data:
        p = l.split(delim)
        if len(p) != 3:
            continue
        try:
            float(p[2])
        except ValueError:
            continue
        valid += 1
    if delim == " ":
        note = (note + "; " if note else "") + "delimiter ' '"
    return path, delim, valid, note


def count_in_vocab(kv, path, delim, restrict):
    """Pairs gensim would use: both words (upper-cased) among the first `restrict` keys."""
    vocab = {k.upper() for k in kv.index_to_key[:restrict]}
    used = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line.startswith("#"):
                continue
            p = line.split(delim)
            if len(p) != 3:
                continue
            try:
                float(p[2])
            except ValueError:
                continue
            used += p[0].upper() in vocab and p[1].upper() in vocab
    return used


def gensim_similarity(kv, path, restrict, tmpdir):
    import math
    gpath, delim, valid, note = pairs_input(path, tmpdir)
    try:
        pearson, spearman, oov_ratio = kv.evaluate_word_pairs(
            gpath, delimiter=delim, restrict_vocab=restrict, case_insensitive=True)
    except ValueError as e:  # gensim/scipy raise when no pair or only one pair is usable
        used = count_in_vocab(kv, gpath, delim, restrict)
        return {"file": path, "pairs": valid, "used": used, "skipped": valid - used,
                "spearman": None, "pearson": None, "coverage": used / valid if valid else 0.0,
                "oov_ratio_percent": 100.0 * (valid - used) / valid if valid else 100.0,
                "gensim_input": note or "as is", "gensim_error": str(e).split("\n")[0][:200]}
    oov = int(round(oov_ratio * valid / 100.0))
    assert valid - oov == count_in_vocab(kv, gpath, delim, restrict), path

    def num(x):  # NaN (fewer than 2 pairs or constant input) -> None
        x = float(x)
        return None if math.isnan(x) else x
    return {"file": path, "pairs": valid, "used": valid - oov, "skipped": oov,
            "spearman": num(spearman[0]), "pearson": num(pearson[0]),
            "coverage": (valid - oov) / valid if valid else 0.0, "oov_ratio_percent": oov_ratio,
            "gensim_input": note or "as is"}


# --------------------------------------------------------------------------- wordshift side

def find_wordshift(given):
    if given:
        return given
    for sub in ("release", "debug"):
        p = os.path.join(REPO, ".build", sub, "wordshift")
        if os.path.exists(p):
            return p
    return os.path.join(REPO, ".build", "release", "wordshift")


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stderr[-3000:]}")
    try:
        return json.loads(p.stdout)
    except ValueError:
        raise RuntimeError(f"{' '.join(cmd)} did not print JSON:\n{p.stdout[:2000]}")


# --------------------------------------------------------------------------- table

def row(name, g, w, kind):
    """kind: 'pct' (fractions shown as %, diff in pp), 'corr', 'int'."""
    def show(v):
        if v is None:
            return "–"
        if kind == "pct":
            return f"{100 * v:.2f}%"
        if kind == "corr":
            return f"{v:.4f}"
        return f"{v:,}"
    diff = ""
    if g is not None and w is not None:
        d = w - g
        diff = f"{100 * d:+.3f} pp" if kind == "pct" else (f"{d:+.5f}" if kind == "corr" else f"{d:+,}")
    return f"| {name} | {show(g)} | {show(w)} | {diff} |"


def main():
    ap = argparse.ArgumentParser(description="gensim vs Wordshift evaluations, side by side")
    ap.add_argument("--vectors", required=True, help="vector file loaded by gensim")
    ap.add_argument("--binary", action="store_true")
    ap.add_argument("--no-header", action="store_true")
    ap.add_argument("--unicode-errors", default="strict", help="passed to gensim's loader")
    ap.add_argument("--store", help="Wordshift store made from the same file")
    ap.add_argument("--wordshift", default=None, help="wordshift CLI (default .build/release, then debug)")
    ap.add_argument("--analogies", help="questions-words format file")
    ap.add_argument("--similarity", nargs="+", default=[], help="word-pair similarity files")
    ap.add_argument("--restrict-vocab", type=int, default=300000)
    ap.add_argument("--json", dest="json_out", help="write all results to this JSON file")
    ap.add_argument("--gensim-only", action="store_true", help="run only the gensim side")
    args = ap.parse_args()
    if not args.analogies and not args.similarity:
        ap.error("give --analogies and/or --similarity")
    if not args.gensim_only and not args.store:
        ap.error("--store is required unless --gensim-only")

    _quiet_gensim_logs()
    import gensim
    from gensim.models import KeyedVectors
    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=args.binary,
                                           no_header=args.no_header,
                                           unicode_errors=args.unicode_errors)
    N = args.restrict_vocab
    result = {"vectors": args.vectors, "restrict_vocab": N, "gensim_version": gensim.__version__,
              "gensim": {}, "wordshift": {}}
    G, W = result["gensim"], result["wordshift"]
    with tempfile.TemporaryDirectory() as tmp:
        if args.analogies:
            G["analogies"] = gensim_analogies(kv, args.analogies, N)
        G["similarity"] = [gensim_similarity(kv, p, N, tmp) for p in args.similarity]

    if not args.gensim_only:
        ws = find_wordshift(args.wordshift)
        if not os.access(ws, os.X_OK):
            print(f"compare_eval: Wordshift CLI not found at {ws} (build it, pass --wordshift, "
                  "or use --gensim-only)", file=sys.stderr)
            return 2
        result["wordshift_binary"] = ws
        try:
            if args.analogies:
                W["analogies"] = run_json([ws, "evaluate", "analogies", args.store, args.analogies,
                                           "--restrict-vocab", str(N), "--json"])
            if args.similarity:
                W["similarity"] = run_json([ws, "evaluate", "similarity", args.store,
                                            *args.similarity, "--restrict-vocab", str(N),
                                            "--json"])["results"]
        except RuntimeError as e:
            print(f"compare_eval: {e}", file=sys.stderr)
            return 2

    lines = [f"vectors: {args.vectors} (gensim {gensim.__version__}: {len(kv.index_to_key):,} x "
             f"{kv.vector_size}); restrict_vocab {N:,}; case-insensitive", "",
             "| dataset | gensim | wordshift | diff |", "|---|---|---|---|"]
    failures = []
    if args.analogies:
        ga, wa = G["analogies"], W.get("analogies")
        name = os.path.basename(args.analogies)
        gt, wt = ga["total"], (wa or {}).get("total", {})
        lines.append(row(f"{name}: total accuracy", gt["accuracy"], wt.get("accuracy"), "pct"))
        lines.append(row(f"{name}: coverage", gt["coverage"], wt.get("coverage"), "pct"))
        lines.append(f"| {name}: correct / attempted | {gt['correct']:,} / {gt['attempted']:,} | "
                     + (f"{wt.get('correct', 0):,} / {wt.get('attempted', 0):,}" if wa else "–") + " | |")
        for part in ("semantic", "syntactic"):
            lines.append(row(f"{name}: {part} accuracy", ga[part]["accuracy"],
                             (wa or {}).get(part, {}).get("accuracy"), "pct"))
        if wa is not None and abs(wt.get("accuracy", -1) - gt["accuracy"]) * 100 > ANALOGY_PP_TOL:
            failures.append(f"{name}: total accuracy differs by "
                            f"{100 * (wt.get('accuracy', 0) - gt['accuracy']):+.3f} pp "
                            f"(> {ANALOGY_PP_TOL} pp)")
        if wa is not None:
            wsec = {s["name"]: s for s in wa.get("sections", [])}
            for s in ga["sections"]:
                o = wsec.get(s["name"])
                if o and (o["correct"], o["attempted"]) != (s["correct"], s["attempted"]):
                    lines.append(f"|   section {s['name']} | {s['correct']}/{s['attempted']} | "
                                 f"{o['correct']}/{o['attempted']} | differs |")
    wsim = W.get("similarity")
    if wsim is not None:  # Swift's JSONEncoder may write NaN as the string "nan": treat as missing
        for r in wsim:
            for k in ("spearman", "pearson"):
                if not isinstance(r.get(k), (int, float)) or r[k] != r[k]:
                    r[k] = None
    for i, g in enumerate(G["similarity"]):
        w = None
        if wsim is not None:
            w = next((r for r in wsim if os.path.abspath(r.get("file", "")) == os.path.abspath(g["file"])),
                     None) or next((r for r in wsim if os.path.basename(r.get("file", "")) ==
                                    os.path.basename(g["file"])), None)
            if w is None and i < len(wsim):
                w = wsim[i]
        name = os.path.basename(g["file"])
        lines.append(row(f"{name}: spearman", g["spearman"], (w or {}).get("spearman"), "corr"))
        lines.append(row(f"{name}: pearson", g["pearson"], (w or {}).get("pearson"), "corr"))
        pdiff = f"{w.get('used', 0) - g['used']:+,}" if w else ""
        lines.append(f"| {name}: pairs used / pairs | {g['used']:,} / {g['pairs']:,} | "
                     + (f"{w.get('used', 0):,} / {w.get('pairs', 0):,}" if w else "–") + f" | {pdiff} |")
        if w is not None:
            gs, wsp = g["spearman"], w.get("spearman")
            if gs is not None and wsp is not None:
                if abs(wsp - gs) > RHO_TOL:
                    failures.append(f"{name}: spearman differs by {wsp - gs:+.5f} (> {RHO_TOL})")
            elif (gs is None) != (wsp is None) and (g["used"] > 1 or w.get("used", 0) > 1):
                failures.append(f"{name}: spearman gensim {gs} vs wordshift {wsp} "
                                f"(used {g['used']} vs {w.get('used')})")
        if wsim is not None and w is None:
            failures.append(f"{name}: no Wordshift result")
    notes = [f"{os.path.basename(g['file'])}: gensim input {g['gensim_input']}"
             for g in G["similarity"] if g["gensim_input"] != "as is"]
    print("\n".join(lines))
    if notes:
        print("\n" + "\n".join(notes))
    result["failures"] = failures
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    if failures:
        print("\nMISMATCH:\n  " + "\n  ".join(failures))
        return 1
    if not args.gensim_only:
        print(f"\nOK: analogies within {ANALOGY_PP_TOL} pp, spearman within {RHO_TOL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
