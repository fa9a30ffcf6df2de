#!/usr/bin/env bash
# Fuzzing campaigns for Wordshift's readers (issue 12 §9).
#
#   tools/fuzz.sh [--runs N] [--max-time SECONDS] [--jobs N] TARGET...   (or: all)
#   tools/fuzz.sh --list
#
# Builds the fuzzing binary (release, libFuzzer + AddressSanitizer, scratch path .build/fuzz),
# makes seed inputs from the real files under corpora/data (and small files made from them with
# the CLI: vocab.txt, cooccurrence.bin, tokenizer.json, stores), then runs libFuzzer per target:
#   -timeout=1            an input taking more than a second is a finding
#   -malloc_limit_mb=256  one allocation above 256 MB is a finding (inputs are at most 128 KB)
#   -rss_limit_mb=2048    resident memory (AddressSanitizer's own overhead included)
# The corpus grows in bench-out/fuzz/corpus/TARGET (rerunning resumes from it); findings go to
# bench-out/fuzz/findings/TARGET; one log per run in bench-out/fuzz/logs. Each run ends with a
# line `fuzz TARGET runs=… seconds=… findings=…` (also appended to bench-out/fuzz/runs.tsv).
#
# A finding is fixed in the reader, then its input is kept as a regression test in
# Tests/WordshiftTests/Fixtures/fuzz/TARGET/ (FuzzRegressionTests replays every file there).
# Not run in CI (too slow for 2 cores); CI replays the kept inputs through `swift test`.
# Environment: WORDSHIFT=path of a built `wordshift` (else it is built) for the seeds;
# WORDSHIFT_FUZZER=path of a fuzzing binary built by this script before (skips the build), with
# WORDSHIFT_FUZZER_COMMIT=the commit it was built from (recorded in runs.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(word2vec-text word2vec-binary glove-text fasttext-bin gzip vocab cooccurrence tokenizer-json labeled-tsv store)
runs=1000000; max_time=540; jobs=1; selected=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --max-time) max_time="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        all) selected=("${TARGETS[@]}"); shift ;;
        -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
        *) ok=0; for t in "${TARGETS[@]}"; do [ "$t" = "$1" ] && ok=1; done
           [ $ok = 1 ] || { echo "unknown target $1; targets: ${TARGETS[*]}" >&2; exit 2; }
           selected+=("$1"); shift ;;
    esac
done
[ ${#selected[@]} -gt 0 ] || { echo "name a target (or all); see --help" >&2; exit 2; }
[ -d corpora/data/vectors ] || { echo "corpora/data is missing: run tools/fetch-data.sh first" >&2; exit 1; }

out=bench-out/fuzz
mkdir -p "$out/seeds" "$out/corpus" "$out/findings" "$out/logs"

# 1. The fuzzing binary.
# Coverage must reach the library, not only the entry module: every Swift module is compiled with
# `-sanitize=fuzzer,address` (one option: with two `-sanitize=` options swiftc keeps only the
# last, which is how the library once ended up with AddressSanitizer but no coverage counters),
# and the C modules with -fsanitize=fuzzer-no-link. The check below refuses a binary whose
# library has no counters.
if [ -n "${WORDSHIFT_FUZZER:-}" ]; then
    fuzzer=$WORDSHIFT_FUZZER     # a binary this script built before (e.g. copied aside while the tree changes)
else
swift build -c release --product wordshift-fuzz --scratch-path .build/fuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -DFUZZING \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link \
    >"$out/logs/build.log" 2>&1 \
    || { tail -20 "$out/logs/build.log"; echo "fuzz build failed" >&2; exit 1; }
fuzzer=$(swift build -c release --scratch-path .build/fuzz --show-bin-path)/wordshift-fuzz
objects=$(dirname "$fuzzer")/Wordshift.build
counters=$(nm "$objects"/*.o 2>/dev/null | grep -c '__sanitizer_cov_8bit_counters_init' || true)
[ "${counters:-0}" -gt 0 ] || { echo "the library's objects have no coverage counters ($objects): fuzzing would be blind" >&2; exit 1; }
fi
[ -x "$fuzzer" ] || { echo "no fuzzing binary at $fuzzer" >&2; exit 1; }
commit=${WORDSHIFT_FUZZER_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Sources 2>/dev/null || echo +dirty)}

# 2. Seeds: real files, cut to the maximum input length; derived files made with the CLI.
data=corpora/data
seed() { # seed TARGET NAME < bytes
    mkdir -p "$out/seeds/$1"; cat >"$out/seeds/$1/$2"
}
make_seeds() {
    local t=$1
    [ -n "$(ls -A "$out/seeds/$t" 2>/dev/null)" ] && return 0
    case "$t" in
        word2vec-text)
            for f in "$data"/vectors/word2vec-text/*; do head -c 16384 "$f" | seed "$t" "$(basename "$f")"; done ;;
        word2vec-binary)
            for f in "$data"/vectors/word2vec-binary/*; do head -c 16384 "$f" | seed "$t" "$(basename "$f")"; done ;;
        glove-text)
            head -c 16384 "$data/vectors/glove-text/test_glove.txt" | seed "$t" test_glove.txt ;;
        fasttext-bin)
            seed "$t" crime-and-punishment.bin <"$data/vectors/fasttext-binary/crime-and-punishment.bin" ;;
        gzip)
            for f in pretrained.vec toy-model.vec; do gzip -9nc "$data/vectors/word2vec-text/$f" | seed "$t" "$f.gz"; done
            head -c 8192 "$data/vectors/glove-text/test_glove.txt" | gzip -9nc | seed "$t" test_glove.txt.gz
            head -c 16384 "$data/reviews/movie-unlabeled.txt.gz" | seed "$t" movie-unlabeled-cut.gz ;;
        vocab|cooccurrence)
            local w; w=$(wordshift_bin); local tmp; tmp=$(mktemp -d)
            head -c 200000 "$data/corpus/enwiki-2015-head.txt" >"$tmp/c.txt"
            "$w" train vocab --corpus "$tmp/c.txt" --max-vocab 1000 --out "$tmp/vocab.txt" --quiet
            head -c 8192 "$tmp/vocab.txt" | seed vocab vocab.txt
            "$w" train cooccur --corpus "$tmp/c.txt" --vocab "$tmp/vocab.txt" --out "$tmp/cooc.bin" --quiet
            head -c 16384 "$tmp/cooc.bin" | seed cooccurrence cooccurrence.bin
            rm -rf "$tmp" ;;
        tokenizer-json)
            local w; w=$(wordshift_bin); local tmp; tmp=$(mktemp -d)
            head -c 100000 "$data/corpus/enwiki-2015-head.txt" >"$tmp/c.txt"
            "$w" subword train --corpus "$tmp/c.txt" --vocab-size 300 --out "$tmp/tokenizer.json" --quiet
            head -c 65536 "$tmp/tokenizer.json" | seed "$t" tokenizer.json
            rm -rf "$tmp" ;;
        labeled-tsv)
            for f in "$data"/reviews/*.tsv; do head -n 20 "$f" | head -c 16384 | seed "$t" "$(basename "$f")"; done ;;
        store)
            # Stores imported from toy-model.vec: plain, with BPE, with n-grams, with a classifier
            # head; with an HNSW index (float32, and on float16 and int8 copies); an int8 copy of a
            # store whose head was adapted over a named vector set; a product-quantized store.
            local w; w=$(wordshift_bin); local tmp; tmp=$(mktemp -d)
            "$w" import "$data/vectors/word2vec-text/toy-model.vec" --out "$tmp/plain.sqlite" --quiet
            head -c 50000 "$data/corpus/enwiki-2015-head.txt" >"$tmp/c.txt"
            cp "$tmp/plain.sqlite" "$tmp/bpe.sqlite"
            "$w" subword train --corpus "$tmp/c.txt" --vocab-size 300 --out "$tmp/bpe.sqlite" --quiet
            cp "$tmp/plain.sqlite" "$tmp/ngrams.sqlite"
            "$w" subword fit "$tmp/ngrams.sqlite" --buckets 64 --epochs 1 --quiet
            cp "$tmp/plain.sqlite" "$tmp/head.sqlite"
            head -n 40 "$data/reviews/restaurant-yelp-sentences.tsv" >"$tmp/train.tsv"
            "$w" classify train "$tmp/head.sqlite" --train "$tmp/train.tsv" --name h --epochs 1 --threads 1 --quiet
            cp "$tmp/plain.sqlite" "$tmp/hnsw.sqlite"
            "$w" index build "$tmp/hnsw.sqlite" --m 4 --threads 1 --quiet >/dev/null
            "$w" quantize "$tmp/ngrams.sqlite" --to f16 --out "$tmp/f16-hnsw.sqlite" --quiet >/dev/null
            "$w" index build "$tmp/f16-hnsw.sqlite" --m 4 --threads 1 --quiet >/dev/null
            "$w" quantize "$tmp/head.sqlite" --to int8 --out "$tmp/int8-hnsw.sqlite" --quiet >/dev/null
            "$w" index build "$tmp/int8-hnsw.sqlite" --m 4 --threads 1 --quiet >/dev/null
            cp "$tmp/plain.sqlite" "$tmp/adapted.sqlite"
            zcat "$data/reviews/movie-unlabeled.txt.gz" | head -n 15 >"$tmp/target.txt" || true
            "$w" classify adapt "$tmp/adapted.sqlite" --source "$tmp/train.tsv" --target-unlabeled "$tmp/target.txt" \
                --name a --method embeddings --epochs 1 --word-ngrams 1 --buckets 16 --adapt-iter 1 --threads 1 --quiet >/dev/null
            "$w" quantize "$tmp/adapted.sqlite" --to int8 --out "$tmp/adapted-int8.sqlite" --quiet >/dev/null
            # A product-quantized copy (format 4), when this wordshift has `quantize --to pq`: 300
            # seeded random rows of dimension 4 (the codebooks need 256 rows), 2 subquantizers.
            local stores="plain bpe ngrams head hnsw f16-hnsw int8-hnsw adapted-int8"
            awk 'BEGIN { srand(7); print "300 4"; for (i = 0; i < 300; i++) { printf "w%d", i
                         for (j = 0; j < 4; j++) printf " %.4f", rand() - 0.5; print "" } }' >"$tmp/pq.vec"
            if "$w" import "$tmp/pq.vec" --out "$tmp/pq-source.sqlite" --quiet >/dev/null 2>&1 \
                && "$w" quantize "$tmp/pq-source.sqlite" --to pq --subquantizers 2 --out "$tmp/pq.sqlite" --quiet >/dev/null 2>&1; then
                stores="$stores pq"
            fi
            mkdir -p "$out/seeds/store"
            for f in $stores; do
                # 1 KB pages (the stores use 16 KB): every seed fits in the 128 KB input limit whole.
                if command -v sqlite3 >/dev/null; then sqlite3 "$tmp/$f.sqlite" "PRAGMA page_size=1024; VACUUM;"; fi
                cp "$tmp/$f.sqlite" "$out/seeds/store/$f.sqlite"
            done
            rm -rf "$tmp" ;;
    esac
}
wordshift_bin() {
    if [ -n "${WORDSHIFT:-}" ]; then echo "$WORDSHIFT"; return; fi
    swift build --product wordshift >"$out/logs/build-cli.log" 2>&1 || { tail -20 "$out/logs/build-cli.log" >&2; exit 1; }
    echo "$(swift build --show-bin-path)/wordshift"
}

max_len() {
    case "$1" in
        store) echo 131072 ;;
        fasttext-bin|tokenizer-json) echo 65536 ;;
        *) echo 16384 ;;
    esac
}

# 3. The campaigns, one target after another.
for t in "${selected[@]}"; do
    make_seeds "$t"
    mkdir -p "$out/corpus/$t" "$out/findings/$t"
    log="$out/logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log"
    started=$(date +%s)
    parallel=""
    [ "$jobs" -gt 1 ] && parallel="-jobs=$jobs -workers=$jobs"
    set +e
    WORDSHIFT_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 "$fuzzer" \
        "$out/corpus/$t" "$out/seeds/$t" \
        -runs="$runs" -max_total_time="$max_time" -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=256 \
        -max_len="$(max_len "$t")" $parallel -print_final_stats=1 \
        -artifact_prefix="$out/findings/$t/" >"$log" 2>&1
    status=$?
    set -e
    seconds=$(( $(date +%s) - started ))
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1 || true)
    # A run stopped without final statistics: its last status line (`#N ...`) counts.
    [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tr -d '#' | tail -n 1 || true)
    findings=$(find "$out/findings/$t" -type f | wc -l)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || true)
    echo "fuzz $t runs=${execs:-?} seconds=$seconds findings=$findings status=$status cov=${cov:-?} commit=$commit log=$log"
    # date, target, execs, seconds, findings, status, cov, commit of the fuzzing binary
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "${execs:-?}" "$seconds" "$findings" "$status" \
        "${cov:-?}" "$commit" >>"$out/runs.tsv"
done
