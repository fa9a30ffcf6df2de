#!/usr/bin/env bash
# Issue 13 ANN benchmark: wordshift's HNSW index against hnswlib on real GloVe vectors
# (400,000 words, 300-d and 100-d, trained by `wordshift train` on the shared Wikipedia corpus,
# whitespace tokenizer, min-count 1), same M / ef_construction / threads / queries; then ready
# to query (process start → first nearest-10 answer) against gensim.
# Raw JSON: bench/ann/. Usage: tools/bench_ann.sh [wordshift binary]
set -euo pipefail
bin=${1:-.build/release/wordshift}
v300=${WORDSHIFT_VECTORS_300:-/work/artifacts/vectors/enwiki-2015-ws400k-300d.sqlite}
w2v300=${WORDSHIFT_W2V_300:-/work/artifacts/vectors/enwiki-2015-ws400k-300d.w2v.bin}
v100=${WORDSHIFT_VECTORS_100:-/work/artifacts/ann/enwiki-2015-ws400k-100d.sqlite}
work=${WORDSHIFT_BENCH_WORK:-$(mktemp -d)}
mkdir -p bench/ann
common=(--wordshift "$bin" --m 16 --ef-construction 100 --build-threads 2 --threads 1 2 --queries 1000 --seed 1
        --ef 10 20 40 80 160 320 --repeats "${REPEATS:-2}" --workdir "$work")
python3 tools/bench_ann.py --store "$v300" "${common[@]}" --runs "${RUNS_300:-2}" --keep-store "$work/indexed-300d.sqlite" \
    --out bench/ann/hnsw-400k-300d.json
python3 tools/bench_ann_ready.py --store "$v300" --indexed-store "$work/indexed-300d.sqlite" --w2v "$w2v300" --wordshift "$bin" \
    --word king --runs "${READY_RUNS:-3}" --out bench/ann/ready-400k-300d.json
python3 tools/bench_ann.py --store "$v100" "${common[@]}" --runs "${RUNS_100:-2}" --out bench/ann/hnsw-400k-100d.json
