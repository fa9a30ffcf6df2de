#!/usr/bin/env bash
# Builds the DocC documentation of the Wordshift library (API reference + the articles in
# Sources/Wordshift/Wordshift.docc) with the toolchain's own `docc`; no package plugin, so a
# normal build carries no documentation dependency.
#
#   bash tools/build-docs.sh            # → .build/docs/Wordshift.doccarchive (open with Xcode or `docc preview`)
#   bash tools/build-docs.sh --static   # → .build/docs/site: a static site (serve the directory, open /documentation/wordshift)
set -euo pipefail
cd "$(dirname "$0")/.."
static=0
[ "${1:-}" = --static ] && static=1

swift build --target Wordshift
bin=$(swift build --show-bin-path)
graphs=.build/docs/symbol-graphs
rm -rf "$graphs" && mkdir -p "$graphs"
# The module's public symbols (and their doc comments) from the debug build just made.
maps=()
for m in Sources/CZlib/module.modulemap Sources/CCrypto/module.modulemap \
         "$bin"/CICUShim.build/module.modulemap "$bin"/CKernels.build/module.modulemap \
         "$bin"/CSignalCleanup.build/module.modulemap "$bin"/CAllocator.build/module.modulemap \
         .build/checkouts/GRDB.swift/Sources/GRDBSQLite/module.modulemap; do
    maps+=(-Xcc "-fmodule-map-file=$m")
done
swift symbolgraph-extract -module-name Wordshift -I "$bin/Modules" -target "$(uname -m)-unknown-linux-gnu" \
    -minimum-access-level public -output-dir "$graphs" "${maps[@]}"

args=(Sources/Wordshift/Wordshift.docc --additional-symbol-graph-dir "$graphs"
      --fallback-display-name Wordshift --fallback-bundle-identifier org.wordshift.Wordshift
      --warnings-as-errors)
if [ "$static" = 1 ]; then
    rm -rf .build/docs/site
    docc convert "${args[@]}" --transform-for-static-hosting --output-path .build/docs/site
    echo "documentation site: .build/docs/site (index: documentation/wordshift/index.html)"
else
    rm -rf .build/docs/Wordshift.doccarchive
    docc convert "${args[@]}" --output-path .build/docs/Wordshift.doccarchive
    echo "documentation archive: .build/docs/Wordshift.doccarchive"
fi
