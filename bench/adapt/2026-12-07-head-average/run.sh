#!/bin/bash
# Experiment: the `embeddings` head as the average of K = 5 heads' output weights (seeds: the
# run's, then AdaptationEstimate.replicateSeed), binary /tmp/ws-headavg = main 1f5af2f +
# experiment.patch (WORDSHIFT_EXPERIMENT_HEAD_AVERAGE=K). 1) RT dev targets, seeds 1-3, the flags
# of bench/adapt/2026-12-07-sif/run.sh (its *-sif0.001.json runs are K = 1); 2) label-free: the
# 75/25 IMDB train text without --test (its labels are not read), seeds 1-3. The patch also carries
# the head-seeds experiment's WORDSHIFT_EXPERIMENT_HEAD_SEED, which these runs leave unset.
set -u
WS=${WS:-/tmp/ws-headavg}; D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
src=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv)
export WORDSHIFT_EXPERIMENT_HEAD_AVERAGE=${K:-5}
for seed in 1 2 3; do for t in rt25 rt50 rt75; do
  case $t in
    rt75) txt=$A/dev/rt-75-25.txt; tst=$A/dev/rt-75-25.tsv;;
    rt50) txt=$A/dev/rt-50-50.txt; tst=$A/dev/rt-50-50.tsv;;
    rt25) txt=$A/dev/rt-25-75.txt; tst=$A/dev/rt-25-75.tsv;;
  esac
  cp $A/wiki100.sqlite rt-dev/store.sqlite
  $WS classify adapt rt-dev/store.sqlite "${src[@]}" --target-unlabeled $txt --name h --method embeddings \
    --test $tst --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $seed --transfer-sif 0.001 --json \
    > rt-dev/$t-s$seed-k$WORDSHIFT_EXPERIMENT_HEAD_AVERAGE.json 2> rt-dev/$t-s$seed-k$WORDSHIFT_EXPERIMENT_HEAD_AVERAGE.log
  rm -f rt-dev/store.sqlite
done; done
echo "rt done $(date -u)"
for seed in 1 2 3; do
  cp $A/wiki100.sqlite store.sqlite
  $WS classify adapt store.sqlite "${src[@]}" --target-unlabeled $A/imb/imdb-train-75-25.txt --target-limit 50000 --name h \
    --method embeddings --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $seed --json \
    > imdb75-s$seed-k$WORDSHIFT_EXPERIMENT_HEAD_AVERAGE.json 2> imdb75-s$seed-k$WORDSHIFT_EXPERIMENT_HEAD_AVERAGE.log
  rm -f store.sqlite
done
echo finished
