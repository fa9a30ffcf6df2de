#!/bin/bash
# Label-free target prior estimates only (issue 11 §5): cross-fitted confusion-corrected shares, 5 source folds,
# and the source-only head's shares under the same rates. RT polarity targets are the dev set; IMDB train targets are reported.
set -u
WS=${WS:-/work/artifacts/bin/wordshift-prior-cv}
D=/work/main/corpora/data/reviews
mkdir -p est; cp w.sqlite est/w.sqlite
for s in 1 2 3; do
  for t in rt-75-25.txt rt-25-75.txt rt-50-50.txt /work/artifacts/adapt/imb/imdb-train-75-25.txt imdb-train-50-50.txt; do
    n=$(basename $t .txt)
    $WS classify adapt est/w.sqlite --source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv \
      --target-unlabeled $t --name e-$n-$s --method source-only --threads 2 --seed $s --json --quiet > est/$n-s$s.json 2> est/$n-s$s.err
    echo "$n s$s rc=$? $(date -u +%T)"
  done
done
