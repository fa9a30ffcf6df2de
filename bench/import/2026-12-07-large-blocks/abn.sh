#!/bin/bash
# abn.sh FILE ROUNDS BIN... : alternating whole-process imports
F=$1; R=$2; shift 2
for r in $(seq $R); do for b in "$@"; do rm -f /tmp/p.sqlite; sync; s=$(date +%s.%N); $b import $F --out /tmp/p.sqlite >/dev/null 2>&1; e=$(date +%s.%N); echo "$b $(echo "$e - $s" | bc)"; done; done | awk '{s[$1]+=$2; ss[$1]+=$2*$2; n[$1]++} END {for (k in s) {m=s[k]/n[k]; printf "%s %.3f ± %.3f (n=%d)\n", k, m, sqrt((ss[k]-n[k]*m*m)/(n[k]-1)), n[k]}}'
