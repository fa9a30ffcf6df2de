#!/bin/bash
# RT polarity dev targets (25/75, 50/50, 75/25; seeds 1-3): `classify adapt --method embeddings`
# at 30 Mittens iterations, the flags of bench/adapt/2026-12-07-sif/run.sh otherwise (its
# *-sif0.001.json runs are the 10-iteration side: same seeds, targets and flags, release bde5f63).
# CHECK=1 first repeats rt25 seed 1 at 10 iterations with this binary, to show the two binaries agree.
set -u
WS=${WS:-/tmp/ws-883aa1b}; D=${WORDSHIFT_DATA:-/work/main/corpora/data}/reviews; A=${A:-/work/artifacts/adapt}
src=(--source $D/restaurant-zomato-hyderabad.tsv $D/restaurant-yelp-kaggle-3k.tsv $D/restaurant-yelp-sentences.tsv)
one() {  # target seed iterations
  case $1 in
    rt75) txt=$A/dev/rt-75-25.txt; tst=$A/dev/rt-75-25.tsv;;
    rt50) txt=$A/dev/rt-50-50.txt; tst=$A/dev/rt-50-50.tsv;;
    rt25) txt=$A/dev/rt-25-75.txt; tst=$A/dev/rt-25-75.tsv;;
  esac
  cp $A/wiki100.sqlite store-$1-s$2-i$3.sqlite
  $WS classify adapt store-$1-s$2-i$3.sqlite "${src[@]}" --target-unlabeled $txt --name h --method embeddings \
    --test $tst --mu 0.1 --adapt-iter $3 --word-ngrams 2 --epochs 10 --threads 2 --seed $2 --transfer-sif 0.001 --json \
    > $1-s$2-i$3.json 2> $1-s$2-i$3.log
  rm -f store-$1-s$2-i$3.sqlite
}
[ "${CHECK:-1}" = 1 ] && one rt25 1 10
for seed in ${SEEDS:-1 2 3}; do for t in ${TARGETS:-rt25 rt50 rt75}; do one $t $seed 30; done; done
echo finished
