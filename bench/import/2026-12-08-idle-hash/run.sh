#!/bin/bash
# The source hash on an idle-priority thread (a2ece1c) against gensim, with the parent's import
# (1f14193: the hash on an ordinary thread; the import code is the same at 1687928) in the same
# rounds. NEW and BASE are release builds of those commits. Files as in BENCHMARKS §1.
set -e
D=$(dirname "$0"); RUN=${RUN:-a}
python3 bench/import/run_import_pairs.py /work/scale/w400k300.w2v.bin ${NEW:-/tmp/ws-a2ece1c} $D/real-400k-$RUN.json --pairs 8 --baseline ${BASE:-/tmp/ws-1f14193}
python3 bench/import/run_import_pairs.py bench-out/synth-400000x300-v1.bin ${NEW:-/tmp/ws-a2ece1c} $D/synthetic-400k-$RUN.json --pairs 8 --baseline ${BASE:-/tmp/ws-1f14193}
python3 bench/import/run_import_pairs.py /work/scale/s2m.w2v.bin ${NEW:-/tmp/ws-a2ece1c} $D/scale-2m-$RUN.json --pairs 5 --baseline ${BASE:-/tmp/ws-1f14193}
