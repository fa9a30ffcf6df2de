#!/usr/bin/env bash
# Issue 13: wordshift HNSW (8d19238: AVX-512F float dot, transparent huge pages for the unit
# matrix and links, queries taken in chunks by the free thread, a node's neighbours scored in one kernel call) against hnswlib on the 10-iteration 400,000-word stores (300-d and 100-d)
# trained by `wordshift train` from the shared Wikipedia corpus (whitespace tokenizer, min-count 1,
# max-vocab 400,000, seed 1). Usage: run.sh WORDSHIFT_BINARY STORE300 STORE100 WORKDIR
set -euo pipefail
bin=$1 s300=$2 s100=$3 work=$4
out=bench/ann/2026-12-07-rows
common=(--wordshift "$bin" --m 16 --ef-construction 100 --build-threads 2 --threads 1 2 --queries 1000 --seed 1
        --ef 20 40 80 120 160 320 640 --repeats 2 --workdir "$work" --runs 3 --peers wordshift hnswlib)
python3 tools/bench_ann.py --store "$s300" "${common[@]}" --out $out/hnsw-400k-300d.json
python3 tools/bench_ann.py --store "$s100" "${common[@]}" --out $out/hnsw-400k-100d.json
