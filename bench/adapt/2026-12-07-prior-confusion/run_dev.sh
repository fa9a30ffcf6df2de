#!/bin/bash
# RT polarity (dev) targets at 75/25, 25/75, 50/50: pseudo-label prior balanced vs confusion, seed $SEED (default 1).
# Run in a folder holding w.sqlite (the wiki100 store) and rt-T.txt / rt-T.tsv (RT resampled; see run.json).
set -u
WS=${WS:-/work/main/.build/release/wordshift}
D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews
SEED=${SEED:-1}
tag=$([ "$SEED" = 1 ] && echo "" || echo "-s$SEED")
mkdir -p out
for t in 75-25 25-75 50-50; do
  for p in balanced confusion; do
    $WS classify compare w.sqlite --source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv \
      --target-unlabeled rt-$t.txt --test rt-$t.tsv --method embeddings embeddings+self-train self-train auto \
      --mu 0.1 --word-ngrams 2 --epochs 10 --threads 2 --seed $SEED --prior $p \
      --report out/rt-$t-$p$tag.json > out/rt-$t-$p$tag.txt 2> out/rt-$t-$p$tag.log
    echo "$t $p seed $SEED rc=$? $(date -u +%T)"
  done
done
