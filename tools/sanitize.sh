#!/usr/bin/env bash
# The library under the sanitizers (issue 12 §8), called by .ci/run after the main tests.
#
#   tools/sanitize.sh [thread] [address]      (default: both)
#
# Builds wordshift-sanitizer-checks (the library and Sources/WordshiftSanitizerChecks only: no
# CLI, no server, no SwiftNIO) with ThreadSanitizer and runs its multi-threaded checks (GloVe and
# Mittens on 2 threads, classifier training, int8 and batched nearest search, concurrent word
# queries, the parallel text reader, n-gram fit, temporary-file registrations from 4 threads);
# then with AddressSanitizer and runs every reader on the real files under corpora/data and on
# every input the fuzzer once failed on (Tests/WordshiftTests/Fixtures/fuzz). Scratch paths
# .build/tsan and .build/asan keep the normal build's cache intact. Any sanitizer report fails.
set -euo pipefail
cd "$(dirname "$0")/.."

kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(thread address)
status=0
for kind in "${kinds[@]}"; do
    case "$kind" in thread) scratch=.build/tsan ;; address) scratch=.build/asan ;;
        *) echo "usage: tools/sanitize.sh [thread] [address]" >&2; exit 2 ;; esac
    started=$(date +%s)
    log=$(mktemp)
    if ! swift build --product wordshift-sanitizer-checks --scratch-path "$scratch" --sanitize="$kind" >"$log" 2>&1; then
        tail -30 "$log"; rm -f "$log"
        echo "sanitize $kind: build failed" >&2
        exit 1
    fi
    rm -f "$log"
    built=$(date +%s)
    bin="$(swift build --scratch-path "$scratch" --show-bin-path)/wordshift-sanitizer-checks"
    set +e
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" ASAN_OPTIONS="detect_leaks=0:halt_on_error=1" \
        "$bin" "$kind" corpora/data Tests/WordshiftTests/Fixtures
    rc=$?
    set -e
    echo "sanitize $kind: exit $rc (build $((built - started)) s, checks $(( $(date +%s) - built )) s)"
    [ $rc = 0 ] || status=1
done
exit $status
