#!/usr/bin/env bash
# Batched nearest-neighbour queries with and without OpenBLAS (issue 14 §1): the same release
# `wordshift-bench query` on the same store, alternating the two back-ends run by run; the
# built-in SIMD kernel splits the product over $THREADS threads, OpenBLAS gets the same number.
#
#   bash tools/bench_batched.sh STORE [RUNS] [OUT]   # OUT default bench/query/batched.json
set -euo pipefail
cd "$(dirname "$0")/.."
store=$1; runs=${2:-5}; out=${3:-bench/query/batched.json}
bin=${WORDSHIFT_BENCH:-$(swift build -c release --show-bin-path)/wordshift-bench}
threads=$(nproc)
mkdir -p "$(dirname "$out")"
{
  printf '{"command": "bash tools/bench_batched.sh %s %s %s", "commit": "%s", "date": "%s", "cores": %s, "openblas_num_threads": %s, "runs": [\n' \
    "$store" "$runs" "$out" "$(git rev-parse HEAD)" "$(date -u +%FT%TZ)" "$threads" "$threads"
  for i in $(seq 1 "$runs"); do
    for backend in openblas builtin; do
      if [ "$backend" = builtin ]; then flag=0; else flag=1; fi
      r=$(OPENBLAS_NUM_THREADS=$threads WORDSHIFT_OPENBLAS=$flag "$bin" query "$store" --queries 20 --warmup 3 --batch 1000)
      sep=","; [ "$i" = "$runs" ] && [ "$backend" = builtin ] && sep=""
      printf '  {"run": %s, "backend": "%s", "result": %s}%s\n' "$i" "$backend" "$r" "$sep"
    done
  done
  printf ']}\n'
} > "$out"
python3 - "$out" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
for b in ("openblas", "builtin"):
    xs = [r["result"]["batch_queries_per_second"] for r in d["runs"] if r["backend"] == b]
    kinds = {r["result"]["batch_product"] for r in d["runs"] if r["backend"] == b}
    print(f"{b:9s} {statistics.mean(xs):8.1f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:6.1f} queries/s "
          f"(batch of 1000, {len(xs)} runs, product: {', '.join(sorted(kinds))})")
PY
