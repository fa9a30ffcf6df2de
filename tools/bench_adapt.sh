#!/bin/bash
# Restaurant → movie adaptation table over several seeds (issue 11 §7), then the mean ± sd summary.
#
#   bash tools/bench_adapt.sh SOURCE_STORE OUT_DIR [WORDSHIFT_BINARY]
#
# SOURCE_STORE: general-domain vectors (BENCHMARKS.md §5: GloVe 100-d on enwiki-2015, window 10,
# 10 iterations). Runs `classify compare` (issue 11 §2), which builds the Mittens-adapted vectors
# afresh in every run, seeded with the run's --seed: each seed has its own adapted vectors and the
# spread includes theirs. Data from corpora/data (tools/fetch-data.sh) or $WORDSHIFT_DATA.
# Environment (defaults in brackets):
#   SEEDS ["1 2 3 4 5"]  TARGET [movie-unlabeled.txt.gz]  TARGET_LIMIT [50000]
#   LABELED [movie-imdb-train.tsv; "none": no few-shot rows, no upper bound]
#   TESTS [movie-imdb-test.tsv movie-rt-polarity.tsv]  METHODS [all]  EXTRA [more flags, e.g. --adapt-window 20]
#   COMMIT [git rev-parse HEAD of this checkout]: recorded in run.json
# Writes OUT_DIR/adapt-seedN.{json,svg,txt,log}, OUT_DIR/run.json (command, commit, dates, seeds)
# and OUT_DIR/summary.md.
set -euo pipefail
src=${1:?source store}; out=${2:?output directory}
ws=${3:-.build/release/wordshift}
D=${WORDSHIFT_DATA:-corpora/data}/reviews
seeds=${SEEDS:-1 2 3 4 5}
target=${TARGET:-$D/movie-unlabeled.txt.gz}
labeled=${LABELED:-$D/movie-imdb-train.tsv}
read -r -a tests <<< "${TESTS:-$D/movie-imdb-test.tsv $D/movie-rt-polarity.tsv}"
read -r -a extra <<< "${EXTRA:-}"
read -r -a methods <<< "${METHODS:-}"
optional=()
[ "$labeled" = none ] || optional+=(--target-labeled "$labeled")
[ ${#methods[@]} -eq 0 ] || optional+=(--method "${methods[@]}")
mkdir -p "$out"
started=$(date -u +%FT%TZ)
here=$(dirname "$0")
commit=${COMMIT:-$(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)}
dirty=$( (git -C "$here" status --porcelain --untracked-files=no 2>/dev/null || true) | wc -l)
command=("$ws" classify compare "$src"
  --source "$D/restaurant-zomato-hyderabad.tsv" "$D/restaurant-yelp-kaggle-3k.tsv" "$D/restaurant-yelp-sentences.tsv"
  --target-unlabeled "$target" --target-limit "${TARGET_LIMIT:-50000}" "${optional[@]}"
  --test "${tests[@]}" --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 "${extra[@]}")
for seed in $seeds; do
  "${command[@]}" --seed "$seed" --report "$out/adapt-seed$seed.json" --svg "$out/adapt-seed$seed.svg" --force \
    > "$out/adapt-seed$seed.txt" 2> "$out/adapt-seed$seed.log"
done
reports=()
for seed in $seeds; do reports+=("$out/adapt-seed$seed.json"); done
python3 - "$out/run.json" "$started" "$(date -u +%FT%TZ)" "$commit" "$dirty" "$seeds" "${command[@]}" <<'PY'
import json, sys
path, started, ended, commit, dirty, seeds, *command = sys.argv[1:]
json.dump({"command": command + ["--seed", "N"], "commit": commit, "uncommitted_changes": int(dirty),
           "started": started, "ended": ended, "seeds": [int(s) for s in seeds.split()]}, open(path, "w"), indent=1)
PY
python3 "$here/adapt_summary.py" "${reports[@]}" | tee "$out/summary.md"
