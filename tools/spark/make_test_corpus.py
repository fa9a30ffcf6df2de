#!/usr/bin/env python3
"""Writes the corpora tools/spark/test.sh counts with both Wordshift and the Spark job.

  make_test_corpus.py shards HEAD_TEXT OUT_DIR   # HEAD_TEXT cut at line boundaries into 3 plain files + 1 gzip
  make_test_corpus.py edge OUT_DIR [--seed 7]    # the tokenizer's corner cases, seeded

The edge corpus holds what the whitespace tokenizer must treat exactly like Wordshift: '\\r'
inside tokens and CRLF line ends, tabs, '\\v', '\\f' and NUL inside tokens, tokens longer than
999 bytes (ASCII, and multi-byte characters across the cut), invalid UTF-8, one word in NFC
and in NFD (Wordshift matches a given vocab.txt by canonical equivalence), empty and blank
lines, a file without a final newline, a gzip file, a nested directory and a hidden file
(skipped).
"""

import gzip
import os
import random
import sys


def shards(head, out):
    os.makedirs(out, exist_ok=False)
    with open(head, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    n = len(lines)
    cuts = [0, n // 4, n // 2, 3 * n // 4, n]
    for i in range(4):
        body = b"\n".join(lines[cuts[i]:cuts[i + 1]]) + b"\n"
        if i == 3:
            with gzip.open(os.path.join(out, f"part-{i}.txt.gz"), "wb", compresslevel=1) as g:
                g.write(body)
        else:
            with open(os.path.join(out, f"part-{i}.txt"), "wb") as f:
                f.write(body)


def edge(out, seed):
    rng = random.Random(seed)
    os.makedirs(os.path.join(out, "nested"), exist_ok=False)
    common = [w.encode() for w in "the of and to in a is was for on as by with he that at from his it an".split()]
    nfc = "caf\u00e9".encode()
    nfd = "cafe\u0301".encode()
    kelvin = "5\u212a".encode()            # KELVIN SIGN: canonically equal to 'K'
    long_ascii_a = b"x" * 999 + b"a"       # both truncate to the same 999 bytes
    long_ascii_b = b"x" * 999 + b"b" * 300
    long_multi = b"y" * 998 + "\u00e9\u00e9".encode()   # the cut falls inside 'é': 998 bytes kept
    long_all = "\u4e2d".encode() * 700     # 2100 bytes of 3-byte characters: cut to 999
    specials = [b"ab\rcd", b"tab\x0bbed", b"form\x0cfeed", b"nul\x00byte", b"bad\xffutf8", b"\xc3",
                b"\xed\xa0\x80", nfc, b"5K", long_ascii_a, long_ascii_b, long_multi, long_all]
    weights = [6, 6, 6, 6, 6, 3, 5, 6, 6, 3, 3, 6, 6]

    def line():
        words = []
        for _ in range(rng.randint(0, 40)):
            if rng.random() < 0.15:
                words.append(rng.choices(specials, weights)[0])
            elif rng.random() < 0.6:
                words.append(rng.choice(common))
            else:
                words.append(b"w%d" % int(rng.paretovariate(1.1)))
        seps = [b" ", b"  ", b"\t", b" \t ", b"\r "]
        text = b""
        for w in words:
            text += w + rng.choice(seps)
        return text

    def body(n, crlf=False):
        out = []
        for _ in range(n):
            r = rng.random()
            out.append(b"" if r < 0.05 else b"  \t " if r < 0.08 else line())
        return (b"\r\n" if crlf else b"\n").join(out)

    with open(os.path.join(out, "a.txt"), "wb") as f:
        f.write(body(3000) + b"\n")
        # Below --min-count 5 by their bytes, but canonically equal to frequent words: three
        # lines each, so a given vocab.txt maps them to those words (as Wordshift does).
        for _ in range(3):
            f.write(b"the " + nfd + b" of " + kelvin + b" and\n")
        # Canonically equal but byte-different words that each pass --min-count 5 by their
        # bytes: one word in vocab.txt (counts summed, most frequent spelling), as in Wordshift.
        for _ in range(6):
            f.write(b"5\xe2\x84\xaaelvin 5\xe2\x84\xaaelvin 5Kelvin\n")
    with open(os.path.join(out, "b-crlf.txt"), "wb") as f:
        f.write(body(2000, crlf=True) + b"\r\n")
    with open(os.path.join(out, "c-no-final-newline.txt"), "wb") as f:
        f.write(body(1500))
    with gzip.open(os.path.join(out, "d.txt.gz"), "wb") as g:
        g.write(body(1500) + b"\n")
    with open(os.path.join(out, "nested", "e.txt"), "wb") as f:
        f.write(body(1000) + b"\n")
    with open(os.path.join(out, ".hidden.txt"), "wb") as f:
        f.write(b"hidden " * 1000 + b"\n")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "shards":
        shards(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "edge":
        seed = int(sys.argv[4]) if len(sys.argv) >= 5 and sys.argv[3] == "--seed" else 7
        edge(sys.argv[2], seed)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
