#!/bin/bash
# SIF weight of the `embeddings` head on and off (issue 11 §4/§5), one `classify adapt --method
# embeddings` per target, seed and weight; each run builds its own Mittens vectors in a fresh copy
# of the source store. Run 2026-12-07 18:42–19:18 UTC with the release build of main bde5f63,
# in three passes of this loop (seed 1 on imdb75/rt75/rt25; then rt50; then seeds 2–3 on RT).
#   A: /work/artifacts/adapt (wiki100.sqlite: BENCHMARKS §5; imb/: tools/imbalanced_target.py;
#      dev/: bench/adapt/2026-12-07-prior-confusion/make_rt_targets.py)
set -u
WS=${WS:-.build/release/wordshift}; D=${WORDSHIFT_DATA:-corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
src=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv)
for seed in ${SEEDS:-1 2 3}; do for t in ${TARGETS:-rt25 rt50 rt75}; do
  case $t in
    imdb75) txt=$A/imb/imdb-train-75-25.txt; tst=$A/imb/imdb-train-75-25.tsv;;
    rt75) txt=$A/dev/rt-75-25.txt; tst=$A/dev/rt-75-25.tsv;;
    rt50) txt=$A/dev/rt-50-50.txt; tst=$A/dev/rt-50-50.tsv;;
    rt25) txt=$A/dev/rt-25-75.txt; tst=$A/dev/rt-25-75.tsv;;
  esac
  cp $A/wiki100.sqlite store-$t-s$seed.sqlite
  for sif in 0.001 0; do
    $WS classify adapt store-$t-s$seed.sqlite "${src[@]}" --target-unlabeled $txt --name h --method embeddings \
      --test $tst --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $seed --transfer-sif $sif --json \
      > $t-s$seed-sif$sif.json 2> $t-s$seed-sif$sif.log
  done
  rm -f store-$t-s$seed.sqlite
done; done
