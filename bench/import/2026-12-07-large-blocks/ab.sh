#!/bin/bash
# ab.sh FILE ROUNDS cmdA cmdB  (cmds use $OUT)
F=$1; R=$2; A=$3; B=$4
for r in $(seq $R); do for v in A B; do rm -f /tmp/p.sqlite; sync; if [ $v = A ]; then c=$A; else c=$B; fi; s=$(date +%s.%N); eval "$c" >/dev/null 2>&1; e=$(date +%s.%N); echo "$v $(echo "$e - $s" | bc)"; done; done | awk '{s[$1]+=$2; ss[$1]+=$2*$2; n[$1]++} END {for (k in s) {m=s[k]/n[k]; printf "%s %.3f ± %.3f (n=%d)\n", k, m, sqrt((ss[k]-n[k]*m*m)/(n[k]-1)), n[k]}}'
