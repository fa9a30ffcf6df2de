#!/usr/bin/env python3
"""Write gensim 4.4 reference fixtures for the vector files in shared/data/vectors/.

Peer-comparison tooling only; the Wordshift product never depends on Python.

Regenerate (from the repo root; needs `pip install -r tools/requirements-peers.txt`):

    python3 tools/gensim_fixtures.py [--data /work/shared/data/vectors] \
        [--out Tests/WordshiftTests/Fixtures/gensim]

For every file under vectors/ except fasttext-binary/ (a fastText model, not word2vec)
it loads the file with `KeyedVectors.load_word2vec_format` (binary=True for
word2vec-binary/, no_header=True for glove-text/). When gensim's default call fails, the
gentlest call that works is used, tried in this order: unicode_errors='replace' (invalid
UTF-8), then limit=<rows actually present> (header count larger than the file). The call
used is recorded as "gensim_call".

Each fixture <relative path with '/' -> '__'>.json has exactly these keys:
  file            path relative to vectors/
  gensim_version  gensim.__version__
  gensim_call     the Python call that loaded the file
  count, dim      len(kv.index_to_key), kv.vector_size
  words_sha256    sha256 of "\\n".join(kv.index_to_key).encode("utf-8")
  first_words     first 20 words
  samples         [{"index", "word", "vector"}] for rows
                  sorted({0, 1, 2, n//3, n//2, n-2, n-1}) clipped to 0..n-1; vector values are
                  float(np.float32) (JSON shortest repr of the exact float32 value)
  weighted_sum    sum over rows i, columns j of float64(v[i,j]) * ((i % 7) + 1); each product
                  is exact in float64, and the sum is math.fsum (correctly rounded, so it does
                  not depend on summation order; compare with a small relative tolerance)
"""

import argparse
import hashlib
import json
import math
import os
import sys

import numpy as np
import gensim
from gensim.models import KeyedVectors

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def count_vector_lines(path, binary, no_header):
    """Rows actually present in a text file (non-empty lines minus the header)."""
    if binary:
        return None
    with open(path, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l.strip()]
    return len(lines) - (0 if no_header else 1)


def call_string(kwargs):
    parts = ["path"] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"KeyedVectors.load_word2vec_format({', '.join(parts)})"


def load(path, binary, no_header):
    base = {}
    if binary:
        base["binary"] = True
    if no_header:
        base["no_header"] = True
    attempts = [dict(base), dict(base, unicode_errors="replace")]
    n = count_vector_lines(path, binary, no_header)
    if n is not None:
        attempts.append(dict(base, limit=n))
        attempts.append(dict(base, unicode_errors="replace", limit=n))
    errors = []
    for kw in attempts:
        try:
            kv = KeyedVectors.load_word2vec_format(path, **kw)
            return kv, call_string(kw), errors
        except Exception as e:  # noqa: BLE001 - we report every failure
            errors.append(f"{call_string(kw)}: {type(e).__name__}: {e}")
    raise RuntimeError(f"gensim could not load {path}:\n" + "\n".join(errors))


def fixture(root, rel):
    path = os.path.join(root, rel)
    top = rel.split("/", 1)[0]
    kv, call, errors = load(path, binary=(top == "word2vec-binary"),
                            no_header=(top == "glove-text"))
    n, dim = len(kv.index_to_key), int(kv.vector_size)
    vecs = np.asarray(kv.vectors, dtype=np.float32)
    assert vecs.shape == (n, dim), (rel, vecs.shape, n, dim)
    idx = sorted({min(max(i, 0), n - 1) for i in (0, 1, 2, n // 3, n // 2, n - 2, n - 1)})
    weights = (np.arange(n) % 7 + 1).astype(np.float64)
    products = vecs.astype(np.float64) * weights[:, None]  # exact: 24-bit * 3-bit mantissas
    fx = {
        "file": rel,
        "gensim_version": gensim.__version__,
        "gensim_call": call,
        "count": n,
        "dim": dim,
        "words_sha256": hashlib.sha256("\n".join(kv.index_to_key).encode("utf-8")).hexdigest(),
        "first_words": list(kv.index_to_key[:20]),
        "samples": [{"index": i, "word": kv.index_to_key[i],
                     "vector": [float(x) for x in vecs[i]]} for i in idx],
        "weighted_sum": math.fsum(products.ravel().tolist()),
    }
    return fx, errors


def main():
    ap = argparse.ArgumentParser(description="gensim reference fixtures for vectors/")
    ap.add_argument("--data", default="/work/shared/data/vectors")
    ap.add_argument("--out", default=os.path.join(REPO, "Tests", "WordshiftTests", "Fixtures", "gensim"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rels = []
    for dirpath, _, files in os.walk(args.data):
        for fn in files:
            rel = os.path.relpath(os.path.join(dirpath, fn), args.data).replace(os.sep, "/")
            if not rel.startswith("fasttext-binary/"):
                rels.append(rel)
    for rel in sorted(rels):
        fx, errors = fixture(args.data, rel)
        out = os.path.join(args.out, rel.replace("/", "__") + ".json")
        with open(out, "w", encoding="utf-8") as f:
            json.dump(fx, f, ensure_ascii=False, indent=1)
            f.write("\n")
        note = f"  (default failed: {errors[0]})" if errors else ""
        print(f"{rel}: {fx['count']} x {fx['dim']} via {fx['gensim_call']}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
