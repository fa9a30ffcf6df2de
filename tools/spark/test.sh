#!/usr/bin/env bash
# The Spark job against Wordshift's own counter, in local[2] mode:
#   1. the 1M-token head of the shared corpus (3 plain files + 1 gzip, split into byte ranges):
#      `glove_spark.py vocab` writes the same vocab.txt as `wordshift train vocab`, and
#      `glove_spark.py cooccur` the same records (bytes) as `wordshift train cooccur`;
#      `wordshift train glove --cooccur SHARD_DIR` gives the vectors it gives from the single file;
#   2. a seeded corpus of the tokenizer's corner cases (tools/spark/make_test_corpus.py), with
#      window 5, left context only, no distance weighting, and window 3;
#   3. refusals: the unicode tokenizer, an existing output, shards of another vocabulary.
# Skips (exit 0, with a message) when Java or pyspark is missing: the Spark path is optional.
#
# Usage: tools/spark/test.sh [path/to/wordshift]   (default: the debug build's)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
    echo "spark test skipped: no Java runtime (apt-get install openjdk-17-jre-headless)"; exit 0
fi
java_major=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | sed -nE 's/.*version "(1\.)?([0-9]+).*/\2/p' | head -n 1)
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
    echo "spark test skipped: Spark 4 needs Java 17 or later (found: ${java_major:-none})"; exit 0
fi
if ! python3 -c "import pyspark, numpy" >/dev/null 2>&1; then
    echo "spark test skipped: pyspark or numpy not installed (pip install pyspark numpy)"; exit 0
fi
wordshift=${1:-"$(swift build --show-bin-path)/wordshift"}
[ -x "$wordshift" ] || { echo "spark test: no wordshift binary at $wordshift (swift build first)" >&2; exit 1; }
head_corpus=corpora/data/corpus/enwiki-2015-head.txt
[ -f "$head_corpus" ] || { echo "spark test: $head_corpus missing (bash tools/fetch-data.sh)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/wordshift-spark-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export SPARK_LOCAL_IP=127.0.0.1
job() { python3 tools/spark/glove_spark.py "$@" --master 'local[2]' --quiet --temp-dir "$work/spark-tmp"; }
# The JVM's start-up warnings go to a log, shown when a job fails.
spark() { job "$@" 2>>"$work/spark-stderr.log" || { echo "spark job failed: $*"; tail -n 30 "$work/spark-stderr.log"; return 1; }; }
mkdir -p "$work/spark-tmp"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
started=$(date +%s)

# compare NAME CORPUS_DIR MIN_COUNT SHARDS SPLIT COOCCUR_FLAGS...
compare() {
    local name=$1 corpus=$2 min=$3 shards=$4 split=$5; shift 5
    local d="$work/$name"; mkdir -p "$d"
    "$wordshift" train vocab --tokenizer whitespace --min-count "$min" --corpus "$corpus" --out "$d/vocab-wordshift.txt" --quiet >/dev/null
    spark vocab --corpus "$corpus" --min-count "$min" --split-size "$split" --out "$d/vocab-spark.txt"
    if cmp -s "$d/vocab-wordshift.txt" "$d/vocab-spark.txt"; then
        pass "$name: vocab.txt identical ($(wc -l < "$d/vocab-spark.txt") words)"
    else
        fail "$name: vocab.txt differs"; diff <(head -c 2000 "$d/vocab-wordshift.txt") <(head -c 2000 "$d/vocab-spark.txt") | head -5 || true
    fi
    "$wordshift" train cooccur --tokenizer whitespace --corpus "$corpus" --vocab "$d/vocab-wordshift.txt" --out "$d/wordshift.bin" --quiet "$@" >/dev/null
    spark cooccur --corpus "$corpus" --vocab "$d/vocab-wordshift.txt" --out "$d/shards" --shards "$shards" --split-size "$split" "$@"
    local n; n=$(ls "$d/shards"/part-*.bin | wc -l)
    if cat "$d/shards"/part-*.bin | cmp -s - "$d/wordshift.bin"; then
        pass "$name: $n shards, concatenated, equal wordshift's cooccurrence.bin byte for byte ($(( $(stat -c %s "$d/wordshift.bin") / 16 )) pairs)"
    else
        fail "$name: co-occurrence records differ"
        python3 - "$d/wordshift.bin" "$d/shards" <<'EOF' || true
import sys, glob, numpy as np
t = np.dtype([("w1", "<i4"), ("w2", "<i4"), ("v", "<f8")])
a = np.fromfile(sys.argv[1], dtype=t)
b = np.concatenate([np.fromfile(p, dtype=t) for p in sorted(glob.glob(sys.argv[2] + "/part-*.bin"))])
print(f"  wordshift {len(a)} records, spark {len(b)}")
ka = set(zip(a["w1"].tolist(), a["w2"].tolist())); kb = set(zip(b["w1"].tolist(), b["w2"].tolist()))
print(f"  only in wordshift: {len(ka - kb)}, only in spark: {len(kb - ka)}; e.g. {sorted(ka - kb)[:3]} {sorted(kb - ka)[:3]}")
EOF
    fi
    # Every manifest names the vocabulary and the settings; together they count every record.
    python3 - "$d/shards" "$d/wordshift.bin.json" <<'EOF' || fail "$name: manifests"
import glob, json, os, sys
ms = [json.load(open(p)) for p in sorted(glob.glob(sys.argv[1] + "/part-*.bin.json"))]
ref = json.load(open(sys.argv[2]))
assert sum(m["records"] for m in ms) == ref["records"], "record counts"
for m in ms:
    for k in ("vocabulary_sha256", "vocabulary_size", "window", "symmetric", "distance_weighting", "tokenizer", "tokens", "format"):
        assert m[k] == ref[k], (k, m[k], ref[k])
print("ok: manifests agree with wordshift's (vocabulary, settings, tokens, records)")
EOF
}

# 1. The head of the shared corpus, window 15 (the default), small splits so plain files are cut.
python3 tools/spark/make_test_corpus.py shards "$head_corpus" "$work/head-corpus"
compare head "$work/head-corpus" 5 4 512K

# 2. Corner cases of the tokenizer, and the other counting settings.
python3 tools/spark/make_test_corpus.py edge "$work/edge-corpus" --seed 7
compare edge-w5-left-unweighted "$work/edge-corpus" 5 3 256K --window 5 --left-only --no-distance-weighting
compare edge-w3 "$work/edge-corpus" 4 5 1M --window 3
# Training from the Spark shards gives the vectors training from wordshift's single file gives
# (the small corpus: a debug build trains the head for minutes).
train() { "$wordshift" train glove --vocab "$work/edge-w3/vocab-wordshift.txt" --cooccur "$1" --out "$2" \
          --dim 16 --iter 3 --threads 2 --seed 7 --quiet >/dev/null; }
train "$work/edge-w3/shards" "$work/from-shards.sqlite"
train "$work/edge-w3/wordshift.bin" "$work/from-file.sqlite"
"$wordshift" export "$work/from-shards.sqlite" --format word2vec-binary --out "$work/from-shards.bin" --quiet >/dev/null
"$wordshift" export "$work/from-file.sqlite" --format word2vec-binary --out "$work/from-file.bin" --quiet >/dev/null
if cmp -s "$work/from-shards.bin" "$work/from-file.bin"; then pass "edge-w3: vectors trained from the 5 shards equal those from wordshift's single file"
else fail "edge-w3: vectors from the shards differ"; fi

# 3. Refusals.
if out=$(job cooccur --corpus "$work/edge-corpus" --vocab "$work/edge-w3/vocab-wordshift.txt" --out "$work/u" --tokenizer unicode 2>&1); then
    fail "unicode tokenizer accepted"
elif grep -q "supports --tokenizer whitespace only" <<<"$out" && [ ! -e "$work/u" ]; then pass "unicode tokenizer refused: ${out:0:90}…"
else fail "unicode tokenizer: unexpected message: $out"; fi
if out=$(job cooccur --corpus "$work/edge-corpus" --vocab "$work/edge-w3/vocab-wordshift.txt" --out "$work/edge-w3/shards" 2>&1); then
    fail "existing output replaced without --force"
elif grep -q "exists (use --force" <<<"$out"; then pass "existing output refused"; else fail "existing output: $out"; fi
if out=$("$wordshift" train glove --vocab "$work/head/vocab-wordshift.txt" --cooccur "$work/edge-w3/shards" --out "$work/x.sqlite" --quiet 2>&1); then
    fail "shards of another vocabulary accepted"
elif grep -q "part-00000.bin: counted with another vocabulary" <<<"$out" && [ ! -e "$work/x.sqlite" ]; then pass "wordshift refuses Spark shards of another vocabulary, naming the shard"
else fail "another vocabulary: unexpected message: $out"; fi

mkdir -p "$work/damaged"
head -c 20000 "$work/head-corpus/part-3.txt.gz" > "$work/damaged/cut.txt.gz"
if out=$(job vocab --corpus "$work/damaged" --out "$work/damaged-vocab.txt" 2>&1); then
    fail "a truncated gzip file was counted"
elif grep -q "glove_spark.py: error:" <<<"$out" && [ ! -e "$work/damaged-vocab.txt" ]; then pass "a truncated gzip file stops the job, nothing written"
else fail "truncated gzip: unexpected output: ${out:0:300}"; fi

echo "spark test: $failures failures in $(( $(date +%s) - started )) s"
[ "$failures" = 0 ]
