#!/bin/bash
# Seconds per GloVe iteration against corpus size and thread count (issue 3's scaling table).
#
#   bash tools/bench_train_scaling.sh PREPARED_FULL_CORPUS [WORDSHIFT_BINARY]
#
# PREPARED_FULL_CORPUS is a prepared copy of enwiki-2015 (tools/bench_train.py --raw … writes
# one to /tmp). The 1M and 5M corpora are its first lines up to that many tokens. Each cell
# is `wordshift train --iter 3` at the reference settings; the figure is the mean of the
# iterations' seconds from --json. Prints one TSV row per (tokens, threads).
set -euo pipefail
full=${1:?prepared full corpus}
ws=${2:-.build/release/wordshift}
work=$(mktemp -d /tmp/ws-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix() { awk -v n="$1" '{ print; t += NF; if (t >= n) exit }' "$full" > "$2"; }
prefix 1000000 "$work/1m.txt"
prefix 5000000 "$work/5m.txt"
printf 'tokens\tpairs\tthreads\tseconds_per_iteration\n'
for corpus in "$work/1m.txt" "$work/5m.txt" "$full"; do
  for threads in 1 2; do
    "$ws" train --corpus "$corpus" --out "$work/s.sqlite" --tokenizer whitespace --dim 100 --window 15 \
      --min-count 5 --x-max 10 --iter 3 --threads "$threads" --seed 1 --json --quiet > "$work/s.json"
    python3 - "$work/s.json" "$threads" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
its = [i["seconds"] for i in s["iterations"]]
print(f'{s["tokens"]}\t{s["pairs"]}\t{sys.argv[2]}\t{sum(its) / len(its):.2f}')
PY
    rm -f "$work/s.sqlite"
  done
done
