#!/bin/bash
# abenv.sh FILE ROUNDS "ENV1" "ENV2" ... : alternating imports of /tmp/ws-bufexp under each env
F=$1; R=$2; shift 2
for r in $(seq $R); do for e in "$@"; do rm -f /tmp/p.sqlite; sync; s=$(date +%s.%N); env $e /tmp/ws-bufexp import $F --out /tmp/p.sqlite >/dev/null 2>&1; t=$(date +%s.%N); echo "$e|$(echo "$t - $s" | bc)"; done; done | awk -F'|' '{s[$1]+=$2; ss[$1]+=$2*$2; n[$1]++} END {for (k in s) {m=s[k]/n[k]; printf "%s: %.3f ± %.3f (n=%d)\n", k, m, sqrt((ss[k]-n[k]*m*m)/(n[k]-1)), n[k]}}'
