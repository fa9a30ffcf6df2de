#!/bin/bash
# The three import files: gensim against a release build (NEW) and its parent 045eb30, in the
# same rounds (bench/import/run_import_pairs.py --baseline). Run a: NEW=/tmp/ws-fbf117d
# (swift build -c release at fbf117d); run b: RUN=b NEW=/tmp/ws-883aa1b (at 883aa1b, which adds
# the in-process seconds); /tmp/ws-045eb30 is the same build at 045eb30. Files as in BENCHMARKS
# §1: the real 400k (`wordshift train` on the shared corpus, 1 iteration, then `export`), the
# synthetic 400k (bench-out) and the 2M set (tools/make_scale_set.py).
set -e
D=$(dirname "$0"); RUN=${RUN:-a}
python3 bench/import/run_import_pairs.py /work/scale/w400k300.w2v.bin ${NEW:-/tmp/ws-fbf117d} $D/real-400k-$RUN.json --pairs 8 --baseline /tmp/ws-045eb30
python3 bench/import/run_import_pairs.py /work/main/bench-out/synth-400000x300-v1.bin ${NEW:-/tmp/ws-fbf117d} $D/synthetic-400k-$RUN.json --pairs 8 --baseline /tmp/ws-045eb30
python3 bench/import/run_import_pairs.py /work/scale/s2m.w2v.bin ${NEW:-/tmp/ws-fbf117d} $D/scale-2m-$RUN.json --pairs 6 --baseline /tmp/ws-045eb30
