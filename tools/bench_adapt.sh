#!/bin/bash
# Restaurant → movie adaptation table over seeds 1-3 (issue 5), then the mean ± sd summary.
#
#   bash tools/bench_adapt.sh SOURCE_STORE ADAPTED_STORE OUT_DIR [WORDSHIFT_BINARY]
#
# SOURCE_STORE: general-domain vectors (BENCHMARKS.md: GloVe 100-d on enwiki-2015, window 10,
# 10 iterations). ADAPTED_STORE: the Mittens-adapted vectors; written on the first run if it
# does not exist (mu 0.1, movie + restaurant text), reused after. Data from corpora/data
# (tools/fetch-data.sh) or $WORDSHIFT_DATA. Seeds ($SEEDS, default "1 2 3") run one after
# another with 2 threads.
set -euo pipefail
src=${1:?source store}; adapted=${2:?adapted store}; out=${3:?output directory}
ws=${4:-.build/release/wordshift}
D=${WORDSHIFT_DATA:-corpora/data}/reviews
mkdir -p "$out"
seeds=${SEEDS:-1 2 3}
for seed in $seeds; do
  "$ws" classify adapt "$src" \
    --source "$D/restaurant-zomato-hyderabad.tsv" "$D/restaurant-yelp-kaggle-3k.tsv" "$D/restaurant-yelp-sentences.tsv" \
    --target-unlabeled "$D/movie-unlabeled.txt.gz" --target-limit 50000 --target-labeled "$D/movie-imdb-train.tsv" \
    --test "$D/movie-imdb-test.tsv" "$D/movie-rt-polarity.tsv" --method all \
    --adapted-store "$adapted" --mu 0.1 --adapt-with-source --word-ngrams 2 --epochs 10 --threads 2 --seed "$seed" \
    --report "$out/adapt-seed$seed.json" --svg "$out/adapt-seed$seed.svg" > "$out/adapt-seed$seed.txt" 2> "$out/adapt-seed$seed.log"
done
reports=()
for seed in $seeds; do reports+=("$out/adapt-seed$seed.json"); done
python3 "$(dirname "$0")/adapt_summary.py" "${reports[@]}"
