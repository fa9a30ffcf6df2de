#!/usr/bin/env python3
"""Fixture for the fastText .bin reader: what gensim 4.4's load_facebook_model gives for
every in-vocabulary word and for a list of unseen words of
shared/data/vectors/fasttext-binary/crime-and-punishment.bin.

Regenerate (needs `pip install -r tools/requirements-peers.txt`):
    python3 tools/gensim_fasttext_fixture.py [--data ../shared/data]
Writes Tests/WordshiftTests/Fixtures/gensim/fasttext-binary__crime-and-punishment.bin.json
"""
import argparse, json, os
import gensim
from gensim.models.fasttext import load_facebook_model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNSEEN = ["раскольников", "петербург", "преступление", "наказание", "xyzzy", "кот", "ab",
          "достоевский", "Родион", "соня", "каторга", "улица", "naïve", "日本語"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    args = ap.parse_args()
    path = os.path.join(args.data, "vectors", "fasttext-binary", "crime-and-punishment.bin")
    model = load_facebook_model(path)
    wv = model.wv
    unseen = []
    for w in UNSEEN:
        if w in wv.key_to_index:
            continue
        try:
            vec = [float(x) for x in wv[w]]
        except KeyError:
            vec = None  # gensim: no n-gram of the word has a bucket
        unseen.append({"word": w, "vector": vec})
    out = {
        "file": "fasttext-binary/crime-and-punishment.bin",
        "gensim_version": gensim.__version__,
        "gensim_call": "load_facebook_model(path).wv",
        "dim": wv.vector_size, "min_n": wv.min_n, "max_n": wv.max_n, "bucket": wv.bucket,
        "words": [{"word": w, "vector": [float(x) for x in wv[w]]} for w in wv.index_to_key],
        "unseen": unseen,
    }
    dest = os.path.join(ROOT, "Tests", "WordshiftTests", "Fixtures", "gensim", "fasttext-binary__crime-and-punishment.bin.json")
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print(f"wrote {dest}: {len(out['words'])} words, {len(unseen)} unseen")


if __name__ == "__main__":
    main()
