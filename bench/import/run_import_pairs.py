"""Binary import against gensim's binary load on one word2vec binary file, in alternating pairs.

    python3 bench/import/run_import_pairs.py FILE.bin WORDSHIFT OUT.json [--pairs N] [--baseline OLD_WORDSHIFT]

Each pair runs, in a fresh process each, gensim's `KeyedVectors.load_word2vec_format(FILE,
binary=True)` (timed in-process around that call only: interpreter start and `import gensim`
are left out) and `wordshift import FILE --out STORE --json` (timed as the whole process, store
deleted before each run; the library call's own time, `seconds` in its JSON, is kept too, so
that the two sides are also compared in-process). The order inside a pair alternates. With --baseline, an older
wordshift binary is timed the same way in every round too (the three rotate their order), so
a change is measured against its parent and against gensim in one run. Writes every time, the
means and standard deviations, the machine's load average and the command to OUT.json.
"""
import json, os, platform, statistics, subprocess, sys, tempfile, time

GENSIM = """
import sys, time
from gensim.models import KeyedVectors
t = time.perf_counter()
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
print(time.perf_counter() - t, len(kv.index_to_key), kv.vector_size)
"""


def gensim_load(path):
    out = subprocess.run([sys.executable, "-c", GENSIM, path], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def wordshift_import(binary, path, store, inside):
    """Whole-process seconds; appends the in-process seconds (`VectorImport.importFile`) to `inside`."""
    if os.path.exists(store):
        os.remove(store)
    t = time.perf_counter()
    out = subprocess.run([binary, "import", path, "--out", store, "--quiet", "--json"], check=True,
                         capture_output=True, text=True).stdout
    whole = time.perf_counter() - t
    inside.append(json.loads(out)["seconds"])
    return whole


def main():
    args, options, rest = [], {}, iter(sys.argv[1:])
    for a in rest:
        if a in ("--pairs", "--baseline"):
            options[a] = next(rest, None)
        else:
            args.append(a)
    pairs = int(options.get("--pairs") or 7)
    baseline = os.path.abspath(options["--baseline"]) if options.get("--baseline") else None
    if len(args) < 3:
        sys.exit(__doc__)
    path, binary, out = args[0], os.path.abspath(args[1]), args[2]
    store = os.path.join(tempfile.mkdtemp(prefix="import-pairs-"), "s.sqlite")
    load_start = os.getloadavg()
    g, w, b, shape = [], [], [], None
    wi, bi = [], []
    with open(path, "rb") as f:  # in the page cache for both sides
        while f.read(1 << 24):
            pass
    sides = ["g", "w"] + (["b"] if baseline else [])
    for i in range(pairs):
        order = sides[i % len(sides):] + sides[:i % len(sides)] if baseline else (sides if i % 2 == 0 else sides[::-1])
        for side in order:
            if side == "g":
                seconds, rows, dim = gensim_load(path)
                g.append(seconds)
                shape = (rows, dim)
            elif side == "w":
                w.append(wordshift_import(binary, path, store, wi))
            else:
                b.append(wordshift_import(baseline, path, store, bi))
        print(f"pair {i + 1}: gensim {g[-1]:.3f} s, wordshift {w[-1]:.3f} s" + (f", baseline {b[-1]:.3f} s" if b else ""), file=sys.stderr)
    store_bytes = os.path.getsize(store)
    os.remove(store)
    result = {
        "what": "word2vec binary: gensim load_word2vec_format(binary=True) in-process vs wordshift import (whole process, and its in-process seconds)",
        "file": path, "file_bytes": os.path.getsize(path), "rows": shape[0], "dimension": shape[1],
        "command": " ".join(["python3"] + sys.argv), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "wordshift": binary, "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_start": load_start, "load_average_end": os.getloadavg(),
        "gensim_seconds": g, "wordshift_seconds": w, "store_bytes": store_bytes,
        "gensim_mean": statistics.mean(g), "gensim_sd": statistics.stdev(g),
        "wordshift_mean": statistics.mean(w), "wordshift_sd": statistics.stdev(w),
        "ratio_of_means": statistics.mean(g) / statistics.mean(w),
        "ratio_per_pair": [x / y for x, y in zip(g, w)],
        "wordshift_in_process_seconds": wi, "wordshift_in_process_mean": statistics.mean(wi),
        "wordshift_in_process_sd": statistics.stdev(wi),
        "ratio_of_means_in_process": statistics.mean(g) / statistics.mean(wi),
    }
    if baseline:
        result.update({"baseline": baseline, "baseline_seconds": b, "baseline_mean": statistics.mean(b),
                       "baseline_sd": statistics.stdev(b), "baseline_ratio_of_means": statistics.mean(g) / statistics.mean(b),
                       "baseline_in_process_seconds": bi, "baseline_in_process_mean": statistics.mean(bi),
                       "baseline_ratio_of_means_in_process": statistics.mean(g) / statistics.mean(bi)})
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"gensim {result['gensim_mean']:.3f} ± {result['gensim_sd']:.3f} s, wordshift {result['wordshift_mean']:.3f} ± "
          f"{result['wordshift_sd']:.3f} s, ratio {result['ratio_of_means']:.2f}x (in-process "
          f"{result['wordshift_in_process_mean']:.3f} s, {result['ratio_of_means_in_process']:.2f}x)"
          + (f"; baseline {result['baseline_mean']:.3f} ± {result['baseline_sd']:.3f} s, ratio {result['baseline_ratio_of_means']:.2f}x" if baseline else ""))


if __name__ == "__main__":
    main()
