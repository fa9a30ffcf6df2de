#!/bin/bash
# SIF p(w) from the store's counts instead of the adapted corpus (issue 11 §5; experiment binary
# /tmp/ws-sifstore = dccab74 + WORDSHIFT_EXPERIMENT_SIF_STORE_COUNTS, worktree /work/wt/sif-store),
# on the RT dev targets, `classify adapt --method embeddings`, same flags as
# bench/adapt/2026-12-07-sif/run.sh (whose sif0.001 runs are the comparison: same seeds, default counts).
set -u
WS=${WS:-/tmp/ws-sifstore}; D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
src=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv)
export WORDSHIFT_EXPERIMENT_SIF_STORE_COUNTS=1
for seed in ${SEEDS:-1 2 3}; do for t in ${TARGETS:-rt25 rt50 rt75}; do
  case $t in
    rt75) txt=$A/dev/rt-75-25.txt; tst=$A/dev/rt-75-25.tsv;;
    rt50) txt=$A/dev/rt-50-50.txt; tst=$A/dev/rt-50-50.tsv;;
    rt25) txt=$A/dev/rt-25-75.txt; tst=$A/dev/rt-25-75.tsv;;
  esac
  cp $A/wiki100.sqlite store-$t-s$seed.sqlite
  $WS classify adapt store-$t-s$seed.sqlite "${src[@]}" --target-unlabeled $txt --name h --method embeddings \
    --test $tst --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $seed --transfer-sif 0.001 --json \
    > $t-s$seed-storecounts.json 2> $t-s$seed-storecounts.log
  rm -f store-$t-s$seed.sqlite
done; done
echo finished
