#!/usr/bin/env bash
# Issue 13 §4, the 2M × 300 set for scale: 400,000 GloVe rows trained by `wordshift train` (the
# 10-iteration 300-d store of bench/ann/2026-12-07-rows) plus 1,600,000 composed bigram rows
# (tools/make_scale_set.py), imported with `wordshift import`; then wordshift HNSW against hnswlib
# (one build per side) and ready-to-query against gensim. Usage: run.sh WORDSHIFT STORE300 CORPUS WORKDIR
set -euo pipefail
bin=$1 s300=$2 corpus=$3 work=$4
out=bench/ann/2026-12-07-2m
mkdir -p "$work"
python3 tools/make_scale_set.py --store "$s300" --corpus "$corpus" --rows 2000000 --out "$work/s2m.w2v.bin" | tee $out/make_scale_set.json
rm -f "$work/s2m.sqlite"
/usr/bin/time -f "import wall %e s, peak RSS %M KiB" "$bin" import "$work/s2m.w2v.bin" --out "$work/s2m.sqlite" --quiet 2>&1 | tee $out/import.txt
python3 tools/bench_ann.py --store "$work/s2m.sqlite" --wordshift "$bin" --m 16 --ef-construction 100 --build-threads 2 --threads 1 2 \
    --queries 1000 --seed 1 --ef 40 80 120 160 320 --repeats 2 --runs 1 --peers wordshift hnswlib --workdir "$work" \
    --keep-store "$work/s2m-indexed.sqlite" --out $out/hnsw-2m-300d.json
python3 tools/bench_ann_ready.py --store "$work/s2m.sqlite" --indexed-store "$work/s2m-indexed.sqlite" --w2v "$work/s2m.w2v.bin" \
    --wordshift "$bin" --word king --runs 2 --out $out/ready-2m-300d.json
