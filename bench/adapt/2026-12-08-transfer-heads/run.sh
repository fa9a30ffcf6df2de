#!/bin/bash
# The IMDB report of `--transfer-heads 5` (RT dev decided for it in the eighth session; the test
# labels here are read after the runs and choose nothing). WS: release build of aefd3b1, which
# has the option (default 1). 1) Balanced movie text: tools/bench_adapt.sh with LABELED=none
# (no few-shot rows, no in-domain bound), seeds 1-3 -> balanced/; compared with the method rows of
# the 37c8c05 5-seed run (bench/adapt/2026-12-07-seeds, the same methods at --transfer-heads 1).
# 2) The 75/25 IMDB target, seed 3 (seeds 1-2 were run with the experiment patch, which computes
# the same head: ../2026-12-07-head-average/imdb-75-25/) -> imdb-75-25/.
set -eu
WS=${WS:-/tmp/ws-aefd3b1}; A=${A:-/work/artifacts/adapt}; export WORDSHIFT_DATA=${WORDSHIFT_DATA:-/work/shared/data}
D=$WORDSHIFT_DATA/reviews; H=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$0")/../../.."
SEEDS="1 2 3" LABELED=none EXTRA="--transfer-heads 5" COMMIT=aefd3b1 bash tools/bench_adapt.sh $A/wiki100.sqlite $H/balanced $WS
mkdir -p $H/imdb-75-25
for seed in 3; do
  $WS classify compare $A/wiki100.sqlite --source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv \
    $D/restaurant-yelp-sentences.tsv --target-unlabeled $A/imb/imdb-train-75-25.txt --target-limit 50000 \
    --method embeddings embeddings+self-train self-train auto --test $A/imb/imdb-train-75-25.tsv $A/imb/imdb-test-75-25.tsv \
    --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $seed --transfer-heads 5 --json \
    > $H/imdb-75-25/adapt-seed$seed.json 2> $H/imdb-75-25/adapt-seed$seed.log
done
echo finished
