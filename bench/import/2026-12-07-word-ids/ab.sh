#!/bin/bash
# A/B of two wordshift binaries on one file: alternating order, wall/user/sys per run.
file=$1; pairs=$2; shift 2
for i in $(seq $pairs); do
  if [ $((i % 2)) -eq 1 ]; then order="$1 $2"; else order="$2 $1"; fi
  for b in $order; do
    rm -f "${TMPDIR:-/tmp}/ab-import.sqlite"
    /usr/bin/time -f "$(basename $b) %e %U %S" $b import $file --out "${TMPDIR:-/tmp}/ab-import.sqlite" --quiet 2>&1 >/dev/null | tail -1
  done
done
