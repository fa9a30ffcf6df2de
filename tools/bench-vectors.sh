#!/usr/bin/env bash
# Load/query benchmark, Wordshift vs gensim 4.4 in the same run (see tools/bench_vectors.py).
#   tools/bench-vectors.sh                      full 400,000 x 300 run (gensim text load ~1-2 min)
#   tools/bench-vectors.sh --skip-gensim-text   reuse the last gensim text-load time
#   tools/bench-vectors.sh --rows 20000         quick run
# Output: bench-out/vectors-<date>.json and a markdown table on stdout.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
exec "${PYTHON:-python3}" "$ROOT/tools/bench_vectors.py" "$@"
