#!/bin/bash
# Run 2026-12-07 23:22-00:01 UTC as SEEDS=1 ITERS=10, then SEEDS="2 3" ITERS=10, then SEEDS="1 2 3" ITERS=30.
# Label-free: how much the `embeddings` head's positive share on the 75/25 IMDB train text (its
# labels are not read: no --test) moves with the seed (Mittens and head), at 10 (default) and
# 30 Mittens iterations. Release build WS (default /tmp/ws-883aa1b = main 883aa1b), store wiki100.
set -u
WS=${WS:-/tmp/ws-883aa1b}; D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
src=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv)
for seed in ${SEEDS:-1 2 3}; do for it in ${ITERS:-10 30}; do
  cp $A/wiki100.sqlite store-i$it-s$seed.sqlite
  /usr/bin/time -f "%e s wall" $WS classify adapt store-i$it-s$seed.sqlite "${src[@]}" --target-unlabeled $A/imb/imdb-train-75-25.txt \
    --target-limit 50000 --name h --method embeddings --mu 0.1 --adapt-iter $it --word-ngrams 2 --epochs 10 --threads 2 \
    --seed $seed --json > i$it-s$seed.json 2> i$it-s$seed.log
  rm -f store-i$it-s$seed.sqlite
done; done
echo finished
