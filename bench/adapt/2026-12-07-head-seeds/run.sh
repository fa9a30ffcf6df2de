#!/bin/bash
# Label-free: the `embeddings` head's positive share on the 75/25 IMDB train text (no --test: its
# labels are not read) over ONE set of Mittens vectors (seed 1, built by the first run and reused
# by the others from the same store), with head seeds 1-5. Experiment binary /tmp/ws-headseed =
# main 1f5af2f + experiment.patch (WORDSHIFT_EXPERIMENT_HEAD_SEED sets the head's seed alone).
set -u
WS=${WS:-/tmp/ws-headseed}; D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
src=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv)
cp $A/wiki100.sqlite store.sqlite
for hs in ${HEAD_SEEDS:-1 2 3 4 5}; do
  WORDSHIFT_EXPERIMENT_HEAD_SEED=$hs $WS classify adapt store.sqlite "${src[@]}" --target-unlabeled $A/imb/imdb-train-75-25.txt \
    --target-limit 50000 --name h --method embeddings --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 \
    --seed 1 --json > hs$hs.json 2> hs$hs.log
done
rm -f store.sqlite
echo finished
