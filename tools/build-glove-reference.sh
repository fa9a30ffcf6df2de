#!/usr/bin/env bash
# Builds the reference GloVe C tools (stanfordnlp/GloVe) as a benchmark peer, OUTSIDE the
# repository: nothing of their code enters Wordshift. Used by `tools/bench_train.py --glove-c DIR`.
#
#   bash tools/build-glove-reference.sh /tmp/glove-ref              # git clone from GitHub
#   GLOVE_MIRROR=/path/to/GloVe bash tools/build-glove-reference.sh /tmp/glove-ref   # local copy
#
# The pinned commit is the one measured in BENCHMARKS.md §4. Its `src/` holds common.c,
# common.h, vocab_count.c, cooccur.c, shuffle.c and glove.c. The tools are compiled directly with
# the upstream Makefile's flags (-O3 -march=native -funroll-loops), so the build does not depend
# on which Makefile a checkout or mirror carries (older ones build without common.c).
set -euo pipefail
DEST=${1:?usage: build-glove-reference.sh DEST_DIR}
COMMIT=11e9dfedcfc29685efaf48a37ad4c87768fea7b4
case "$(cd "$(dirname "$DEST")" && pwd)/$(basename "$DEST")" in
  "$(cd "$(dirname "$0")/.." && pwd)"*) echo "refusing to build inside the repository: $DEST" >&2; exit 2 ;;
esac
mkdir -p "$DEST"
if [ -n "${GLOVE_MIRROR:-}" ]; then
  mkdir -p "$DEST/src"
  cp "$GLOVE_MIRROR"/src/{common.c,common.h,vocab_count.c,cooccur.c,shuffle.c,glove.c} "$DEST/src/"
elif [ ! -f "$DEST/src/glove.c" ]; then
  git clone --quiet https://github.com/stanfordnlp/GloVe "$DEST/repo"
  git -C "$DEST/repo" checkout --quiet "$COMMIT"
  mkdir -p "$DEST/src"
  cp "$DEST/repo"/src/{common.c,common.h,vocab_count.c,cooccur.c,shuffle.c,glove.c} "$DEST/src/"
fi
mkdir -p "$DEST/build"
for tool in vocab_count cooccur shuffle glove; do
  gcc -O3 -march=native -funroll-loops -Wall -Wno-unused-result -pthread \
    "$DEST/src/$tool.c" "$DEST/src/common.c" -o "$DEST/build/$tool" -lm
done
echo "built $DEST/build/{vocab_count,cooccur,shuffle,glove}"
