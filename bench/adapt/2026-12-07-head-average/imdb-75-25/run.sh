#!/bin/bash
# The IMDB report of the head-average experiment on the 75/25 target (RT decided first; the test
# labels are read after the runs, as a report): the 37c8c05 imbalanced command
# (../../2026-12-07-imbalanced-auto/run.json) with the experiment binary /tmp/ws-headavg and
# WORDSHIFT_EXPERIMENT_HEAD_AVERAGE=5, seeds given in SEEDS.
set -u
WS=${WS:-/tmp/ws-headavg}; D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
export WORDSHIFT_EXPERIMENT_HEAD_AVERAGE=5
for seed in ${SEEDS:-1 2 3}; do
  $WS classify compare $A/wiki100.sqlite --source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv \
    $D/restaurant-yelp-sentences.tsv --target-unlabeled $A/imb/imdb-train-75-25.txt --target-limit 50000 \
    --method embeddings embeddings+self-train self-train auto --test $A/imb/imdb-train-75-25.tsv $A/imb/imdb-test-75-25.tsv \
    --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $seed --json > adapt-seed$seed.json 2> adapt-seed$seed.log
done
echo finished
