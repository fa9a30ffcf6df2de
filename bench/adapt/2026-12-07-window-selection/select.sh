#!/bin/bash
# Issue 11 §4 selection runs (pre-registered 03:10 UTC): seed 1, first 20,000 target lines, method embeddings+self-train;
# scored on RT polarity only (IMDB never evaluated here); reverse validation recorded beside it.
set -u
cd /work/wt/adapt-science
WS=/work/artifacts/adapt-science/bin/wordshift-sel
ST=/work/artifacts/adapt-science/sel/wiki100-sel.sqlite
D=corpora/data/reviews
OUT=/work/artifacts/adapt-science/sel
common=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv
  --target-unlabeled $D/movie-unlabeled.txt.gz --target-limit 20000 --test $D/movie-rt-polarity.tsv
  --method embeddings+self-train --seed 1 --threads 2 --json)
for w in ${WINDOWS:-50 20 10 100}; do
  echo "start w$w $(date -u +%T)" >> $OUT/select.log
  /usr/bin/time -v /work/team/cpu run $WS classify adapt $ST "${common[@]}" --name sel-w$w --adapt-window $w > $OUT/w$w.json 2> $OUT/w$w.log
  echo "end w$w rc=$? $(date -u +%T)" >> $OUT/select.log
done
