#!/bin/bash
# What the import's SHA-256 of the source costs against gensim, in the same rounds: NEW is a
# release build of 1687928 + experiment.patch (the source hash skipped when
# WORDSHIFT_EXPERIMENT_NO_SOURCE_HASH is set), BASE a release build of main 1f14193 (the import
# code is the same at 1687928; it ignores the variable and hashes). Files as in BENCHMARKS §1.
set -e
D=$(dirname "$0")
export WORDSHIFT_EXPERIMENT_NO_SOURCE_HASH=1
python3 bench/import/run_import_pairs.py /work/scale/w400k300.w2v.bin ${NEW:-/tmp/ws-nohash} $D/real-400k.json --pairs 8 --baseline ${BASE:-/tmp/ws-1f14193}
python3 bench/import/run_import_pairs.py bench-out/synth-400000x300-v1.bin ${NEW:-/tmp/ws-nohash} $D/synthetic-400k.json --pairs 8 --baseline ${BASE:-/tmp/ws-1f14193}
python3 bench/import/run_import_pairs.py /work/scale/s2m.w2v.bin ${NEW:-/tmp/ws-nohash} $D/scale-2m.json --pairs 5 --baseline ${BASE:-/tmp/ws-1f14193}
