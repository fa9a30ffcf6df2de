#!/usr/bin/env bash
# Issue 13: wordshift HNSW (float dot kernel at AVX-512F, the default on this CPU; and capped
# at AVX2 with WORDSHIFT_DOT_LEVEL=1 for attribution) against hnswlib on two 10-iteration
# 400,000-word stores (300-d and 100-d) trained by `wordshift train` from the shared Wikipedia
# corpus. Usage: run.sh WORDSHIFT_BINARY STORE300 STORE100 WORKDIR
set -euo pipefail
bin=$1 s300=$2 s100=$3 work=$4
out=bench/ann/2026-12-07-avx512
common=(--wordshift "$bin" --m 16 --ef-construction 100 --build-threads 2 --threads 1 2 --queries 1000 --seed 1
        --ef 20 40 80 120 160 320 640 --repeats 2 --workdir "$work")
python3 tools/bench_ann.py --store "$s300" "${common[@]}" --runs 3 --peers wordshift hnswlib --out $out/hnsw-400k-300d.json
WORDSHIFT_DOT_LEVEL=1 python3 tools/bench_ann.py --store "$s300" "${common[@]}" --runs 2 --peers wordshift --out $out/hnsw-400k-300d-avx2.json
python3 tools/bench_ann.py --store "$s100" "${common[@]}" --runs 3 --peers wordshift hnswlib --out $out/hnsw-400k-100d.json
WORDSHIFT_DOT_LEVEL=1 python3 tools/bench_ann.py --store "$s100" "${common[@]}" --runs 2 --peers wordshift --out $out/hnsw-400k-100d-avx2.json
