#!/bin/bash
# Issue 11 §5: 75/25 target (tools/imbalanced_target.py), seed 1, window 50, binary b2efa2f.
# Choice of a prior default looks only at imdb-train-75-25.tsv (the labels of the unlabeled target text = dev)
# and the known 75% share; imdb-test-75-25.tsv is reported, never used to choose.
set -u
cd /work/wt/adapt-science
WS=/work/artifacts/adapt-science/bin/wordshift-b2efa2f
ST=/work/artifacts/adapt-science/imb/wiki100-imb.sqlite
D=corpora/data/reviews; I=/work/artifacts/adapt-science/imbalanced; OUT=/work/artifacts/adapt-science/imb
common=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv
  --target-unlabeled $I/imdb-train-75-25.txt --test $I/imdb-train-75-25.tsv $I/imdb-test-75-25.tsv --seed 1 --threads 2 --json)
run() { name=$1; shift
  echo "start $name $(date -u +%T)" >> $OUT/run.log
  /work/team/cpu run $WS classify adapt $ST "${common[@]}" --name imb-$name "$@" > $OUT/$name.json 2> $OUT/$name.log
  echo "end $name rc=$? $(date -u +%T)" >> $OUT/run.log
}
run mixture --method embeddings+self-train --prior mixture
run source --method source-only
run balanced --method embeddings+self-train --prior balanced
run em --method embeddings+self-train --prior em
