#!/usr/bin/env python3
"""GloVe counting on Apache Spark: vocabulary and co-occurrences of a sharded corpus.

Two passes, each one Spark job, with the rules of `wordshift train vocab|cooccur`:

  glove_spark.py vocab   --corpus DIR_OR_FILES... --out vocab.txt [--min-count 5] [--max-vocab N]
  glove_spark.py cooccur --corpus DIR_OR_FILES... --vocab vocab.txt --out SHARD_DIR [--window 15]

`cooccur` writes reference-format shards (SHARD_DIR/part-NNNNN.bin: int32 word1, int32 word2,
float64 value, 1-based ids, sorted, disjoint ranges of word1) each with its sidecar manifest
(part-NNNNN.bin.json), which `wordshift train glove --vocab vocab.txt --cooccur SHARD_DIR` trains
from. Weights are summed as integers in units of 1/lcm(1..window), like Wordshift's counter, so
the values are the same bits whatever the partitioning. See docs/spark.md.

Only the whitespace tokenizer (the reference tools' rule) is supported: the unicode tokenizer
normalises with ICU's NFKC_Casefold, which Python's standard library does not reproduce exactly.
"""

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sys
import time
import unicodedata
import uuid
import zlib
from collections import Counter
from operator import add

import numpy as np

PRODUCER = "tools/spark/glove_spark.py"
FORMAT = "wordshift-cooccurrence/1"
MAX_TOKEN_BYTES = 999          # Wordshift (and the reference tools) truncate longer tokens
MAX_WINDOW = (1 << 15) - 1     # the distance is packed into 15 bits of the sort key
MAX_VOCAB = 1 << 24            # word ids are packed into 24 bits (Wordshift trains at most 2^24 words)
ID_BITS = 24
ID_MASK = (1 << ID_BITS) - 1
K_BITS = 15
DOC, OOV, SKIP = -2, -1, -3    # token codes besides word ids: document end, out of vocabulary, no token


class UsageError(Exception):
    """A bad argument or input: reported as one line, exit status 2."""


# --------------------------------------------------------------------------------------------
# Corpus files and input splits (the rules of Wordshift's CorpusSource)


def corpus_files(inputs):
    """Files in reading order: files as given; directories expand to their regular files,
    recursively, skipping any path part that starts with '.', in byte order of the path."""
    files = []
    for name in inputs:
        if name == "-":
            raise UsageError("standard input cannot be counted on Spark: give files or directories")
        if os.path.isdir(name):
            found = []
            for root, dirs, names in os.walk(name):
                for n in names:
                    full = os.path.join(root, n)
                    rel = os.path.relpath(full, name)
                    if any(part.startswith(".") for part in rel.split(os.sep)):
                        continue
                    if os.path.isfile(full):
                        found.append(full if not name.endswith("/") else name + rel)
            found.sort(key=os.fsencode)
            files.extend(found)
        elif os.path.isfile(name):
            files.append(name)
        else:
            raise UsageError(f"{name}: no such file or directory")
    if not files:
        raise UsageError(f"{' '.join(inputs)}: no files in the corpus")
    return files


def is_gzip(path):
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def make_splits(files, split_bytes):
    """(path, start, end, gzip) per task: plain files in byte ranges of about split_bytes
    (a range owns the lines that start inside it), gzip files whole."""
    splits = []
    for path in files:
        size = os.path.getsize(path)
        if is_gzip(path) or size <= split_bytes:
            splits.append((path, 0, size, is_gzip(path)))
            continue
        start = 0
        while start < size:
            end = min(size, start + split_bytes)
            splits.append((path, start, end, False))
            start = end
    return splits


def whole_lines(f, block, stop=None):
    """Yields what `f` reads from where it is, in pieces that end after a newline (the last one
    may end at the end of the file instead). With `stop` (a byte count from where `f` is), the
    piece that reaches byte `stop - 1` ends after the first newline at or after it, and nothing
    follows: the lines that start before `stop` are the ones yielded."""
    carry, pos = b"", 0  # pos: offset of data[0] from where reading started
    while True:
        blk = f.read(block)
        if not blk:
            if carry:
                yield carry
            return
        data = carry + blk
        if stop is not None:
            limit = stop - 1 - pos  # index of byte stop-1 in data
            if limit < len(data):
                i = data.find(b"\n", max(limit, 0))
                if i >= 0:
                    yield data[:i + 1]
                    return
                carry = data
                continue
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        yield data[:cut + 1]
        carry = data[cut + 1:]
        pos += cut + 1


def read_split(split, block=1 << 20):
    """Yields the bytes of the lines a split owns, in pieces that end after a newline (or at
    the end of the file). A file's end ends a document, like a newline."""
    path, start, end, gz = split
    if gz:
        with gzip.open(path, "rb") as f:
            yield from whole_lines(f, block)
        return
    with open(path, "rb") as f:
        pos = start
        if start > 0:
            # The first line owned starts after the first newline at or after start - 1.
            f.seek(start - 1)
            offset = start - 1
            while True:
                blk = f.read(block)
                if not blk:
                    return
                i = blk.find(b"\n")
                if i >= 0:
                    pos = offset + i + 1
                    break
                offset += len(blk)
        if pos >= end:
            return
        f.seek(pos)
        yield from whole_lines(f, block, end - pos)


# --------------------------------------------------------------------------------------------
# The whitespace tokenizer (Wordshift's `--tokenizer whitespace`, the reference tools' rule)


def split_tokens(chunk):
    """Tokens of whole lines: '\\r' is dropped everywhere, ' ', '\\t' and '\\n' separate, and
    every '\\n' comes back as a b'\\n' token (document end). Empty strings come out too (SKIP).
    Other bytes (including '\\v', '\\f', NUL and invalid UTF-8) are part of tokens."""
    return chunk.replace(b"\r", b"").replace(b"\t", b" ").replace(b"\n", b" \n ").split(b" ")


def truncate_token(t):
    """At most MAX_TOKEN_BYTES bytes, cut back so that the first byte dropped is not a UTF-8
    continuation byte (Wordshift's UTF8Boundary.truncated)."""
    if len(t) <= MAX_TOKEN_BYTES:
        return t
    end = MAX_TOKEN_BYTES
    while end > 0 and t[end] & 0xC0 == 0x80:
        end -= 1
    return t[:end]


def vocab_word(t):
    """How Wordshift writes a token into vocab.txt: decoded as UTF-8 with U+FFFD for invalid
    sequences, encoded again."""
    return t.decode("utf-8", "replace").encode("utf-8")


# --------------------------------------------------------------------------------------------
# Pass 1: the vocabulary


def vocab_split(split):
    """(token, count) for each distinct token of one split, plus ('', tokens) as a total."""
    counts = Counter()
    for chunk in read_split(split):
        counts.update(split_tokens(chunk))
    counts.pop(b"", None)
    counts.pop(b"\n", None)
    out = {}
    total = 0
    for t, n in counts.items():
        if len(t) > MAX_TOKEN_BYTES:
            t = truncate_token(t)
            if not t:
                continue
        out[t] = out.get(t, 0) + n
        total += n
    yield (b"", total)
    yield from out.items()


def canonical_key(t):
    """The text Swift compares a token by: decoded as vocab.txt spells it, in NFD."""
    return unicodedata.normalize("NFD", vocab_word(t).decode("utf-8"))


def merge_equivalent(wide, narrow):
    """(token, count) pairs with the tokens Swift sees as one word merged (Vocabulary.build):
    the sum of their counts under the most frequent spelling (ties: byte order). `wide` holds
    every non-ASCII token, `narrow` the ASCII ones (at least those that can merge)."""
    groups = {}
    for t, n in wide:
        groups.setdefault(canonical_key(t), []).append((t, n))
    out = []
    for t, n in narrow:
        key = t.decode("ascii")
        if key in groups:
            groups[key].append((t, n))
        else:
            out.append((t, n))
    for members in groups.values():
        spelling = min(members, key=lambda p: (-p[1], p[0]))[0]
        out.append((spelling, sum(n for _, n in members)))
    return out


def rank_vocabulary(pairs, min_count, max_vocab):
    """Wordshift's Vocabulary.build: count >= min_count, most frequent first, ties in byte order."""
    kept = [(t, n) for t, n in pairs if n >= min_count]
    kept.sort(key=lambda p: (-p[1], p[0]))
    if max_vocab is not None:
        kept = kept[:max_vocab]
    return kept


def read_vocab(path):
    """vocab.txt as Wordshift reads it: `word count` lines (the last space separates), empty
    lines skipped, words decoded as UTF-8 with replacement; duplicates are an error."""
    words = []
    seen = set()
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip(b"\n")
            if not line:
                continue
            space = line.rfind(b" ")
            try:
                count = int(line[space + 1:]) if space > 0 else -1
            except ValueError:
                count = -1
            if space <= 0 or count < 0:
                raise UsageError(f"{path}:{number}: expected `word count` with a non-negative integer count")
            word = vocab_word(line[:space])
            key = unicodedata.normalize("NFD", word.decode("utf-8"))
            if key in seen:
                raise UsageError(f"{path}:{number}: duplicate word {word.decode('utf-8')!r}")
            seen.add(key)
            words.append(word)
    if not words:
        raise UsageError(f"{path}: vocabulary file has no words")
    return words


def vocabulary_fingerprint(words):
    """SHA-256 of the words in id order, each followed by a newline (Vocabulary.fingerprint)."""
    h = hashlib.sha256()
    for w in words:
        h.update(w)
        h.update(b"\n")
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# Pass 2: co-occurrences


def weight_units(window, distance_weighting):
    """Wordshift's WeightScale: (denominator, units[d]) with 1/d = units[d]/denominator, exact
    for lcm(1..window) <= 2^32, otherwise rounded to units of 2^-32."""
    if not distance_weighting:
        return 1, [0] + [1] * window
    lcm, exact = 1, True
    for d in range(1, max(1, window) + 1):
        g = gcd(lcm, d)
        m = lcm // g * d
        if m > (1 << 32):
            exact = False
            break
        lcm = m
    if not exact:
        lcm = 1 << 32
    return lcm, [0] + [(lcm + d // 2) // d for d in range(1, window + 1)]


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


class Lookup(dict):
    """Token bytes -> word id (or DOC, OOV, SKIP). A token that is not byte-equal to a word is
    truncated if too long and then matched as Wordshift matches it against a given vocab.txt:
    by Swift String equality, i.e. canonical equivalence (NFD equality) of the decoded text."""

    def __init__(self, words):
        super().__init__((w, i) for i, w in enumerate(words))
        self[b"\n"] = DOC
        self[b""] = SKIP
        self.words = words
        self.canonical = None
        self.misses = 0

    def __missing__(self, t):
        v = self.resolve(t)
        if self.misses < 4_000_000:  # remember out-of-vocabulary tokens, within a bound
            self.misses += 1
            self[t] = v
        return v

    def resolve(self, t):
        if len(t) > MAX_TOKEN_BYTES:
            t = truncate_token(t)
            if not t:
                return SKIP
            v = dict.get(self, t)
            if v is not None:
                return v
        if self.canonical is None:
            self.canonical = {}
            for i, w in enumerate(self.words):
                s = w.decode("utf-8")
                self.canonical.setdefault(s if s.isascii() else unicodedata.normalize("NFD", s), i)
        s = t.decode("utf-8", "replace")
        return self.canonical.get(s if s.isascii() else unicodedata.normalize("NFD", s), OOV)


_LOOKUPS = {}


def worker_lookup(broadcast):
    """One Lookup per Python worker process and vocabulary (workers are reused across tasks)."""
    key = broadcast.id if hasattr(broadcast, "id") else id(broadcast)
    lk = _LOOKUPS.get(key)
    if lk is None:
        _LOOKUPS.clear()
        lk = Lookup(broadcast.value)
        _LOOKUPS[key] = lk
    return lk


class DenseTable:
    """Totals of the frequent pairs in place, Wordshift's rule: pair (i, j) of 0-based ids
    lives here when (i+1)(j+1) <= product; row i holds columns 0..<min(V, product/(i+1)).
    Low ids are the frequent words, so most increments land here and never reach a sort."""

    def __init__(self, vocab_size, cells):
        self.vocab_size = vocab_size
        lo, hi = 0, vocab_size * vocab_size
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.count_cells(mid) <= cells:
                lo = mid
            else:
                hi = mid - 1
        self.product = lo
        rows = np.arange(1, vocab_size + 1, dtype=np.int64)
        lengths = np.minimum(vocab_size, self.product // rows)
        self.row_start = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        self.cells = int(self.row_start[-1])
        self.totals = np.zeros(max(1, self.cells), dtype=np.int64)

    def count_cells(self, product):
        rows = np.arange(1, self.vocab_size + 1, dtype=np.int64)
        return int(np.minimum(self.vocab_size, product // rows).sum())

    def add(self, index, weights):
        """Adds float64 weights (integers, exact: a piece's sums stay far below 2^53)."""
        if len(index):
            self.totals += np.bincount(index, weights=weights, minlength=len(self.totals)).astype(np.int64)

    def run(self):
        """The non-zero cells as a sorted (keys, units) run; clears the table."""
        idx = np.flatnonzero(self.totals)
        row = np.searchsorted(self.row_start, idx, side="right") - 1
        keys = (row << ID_BITS) | (idx - self.row_start[row])
        units = self.totals[idx]
        self.totals[:] = 0
        return keys.astype(np.int64), units


def chunk_pairs(ids, window, symmetric, dense=None, units_table=None):
    """Packed (word1 << 39 | word2 << 15 | distance) for every pair of in-vocabulary words at
    most `window` apart within a document; out-of-vocabulary tokens are skipped, not counted
    as positions (Wordshift and the reference tools slide the window over kept words only).
    With a DenseTable, the frequent pairs are added to it instead."""
    a = ids[(ids >= 0) | (ids == DOC)]
    isdoc = a == DOC
    doc = np.cumsum(isdoc, dtype=np.int64)
    keep = ~isdoc
    w = a[keep].astype(np.int64)
    d = doc[keep]
    n = len(w)
    parts, dense_index, dense_weight = [], [], []
    for k in range(1, min(window, n - 1) + 1):
        same = d[k:] == d[:-k]
        left = w[:-k][same]
        right = w[k:][same]
        if len(left) == 0:
            continue
        if dense is not None:
            frequent = (left + 1) * (right + 1) <= dense.product
            fl, fr = left[frequent], right[frequent]
            dense_index.append(dense.row_start[fl] + fr)
            if symmetric:
                dense_index.append(dense.row_start[fr] + fl)
            dense_weight.append(np.full(len(fl) * (2 if symmetric else 1), float(units_table[k])))
            rare = ~frequent
            left, right = left[rare], right[rare]
        parts.append((left << (ID_BITS + K_BITS)) | (right << K_BITS) | k)
        if symmetric:
            parts.append((right << (ID_BITS + K_BITS)) | (left << K_BITS) | k)
    if dense is not None and dense_index:
        dense.add(np.concatenate(dense_index), np.concatenate(dense_weight))
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.concatenate(parts)


def combine_packed(packed, units_table):
    """Sorted unique (word1 << 24 | word2) keys with their summed weight units (int64)."""
    if len(packed) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    s = np.sort(packed)
    n = len(s)
    starts = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    counts = np.diff(np.append(starts, n))
    uniq = s[starts]
    units = counts * units_table[uniq & ((1 << K_BITS) - 1)]
    keys = uniq >> K_BITS
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[first], segment_sums(units, first)


def segment_sums(values, first):
    """Sums of values[first[i]:first[i+1]] (int64; differences of a running sum, which are
    exact even if the running sum wraps, as long as each sum fits in int64)."""
    cs = np.cumsum(values)
    ends = np.append(first[1:], len(values)) - 1
    out = cs[ends]
    out[1:] -= cs[first[1:] - 1]
    return out


def merge_runs(runs):
    """Sums sorted (keys, units) runs into one sorted run (a stable sort merges the runs)."""
    if len(runs) == 1:
        return runs[0]
    keys = np.concatenate([r[0] for r in runs])
    units = np.concatenate([r[1] for r in runs])
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    units = units[order]
    del order
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[first], segment_sums(units, first)


def shard_bounds(counts, shards, window, symmetric):
    """First word id of each output shard: ranges of word1 holding about equal shares of the
    distinct pairs, estimated per word as min(count * contexts per occurrence, V)."""
    v = len(counts)
    per = 2 * window if symmetric else window
    weight = np.minimum(np.asarray(counts, dtype=np.float64) * per, float(v))
    cum = np.cumsum(weight)
    total = cum[-1] if v else 0.0
    bounds = [0]
    for s in range(1, shards):
        b = int(np.searchsorted(cum, total * s / shards, side="left")) + 1
        bounds.append(min(max(b, bounds[-1]), v))
    return bounds


def cooccur_partition(splits, config, broadcast, stats):
    """Counts the pairs of some input splits; yields (shard, (keys bytes, units bytes))
    blocks, flushing whenever the combined pairs pass the map-side budget."""
    lookup = worker_lookup(broadcast)
    window, symmetric = config["window"], config["symmetric"]
    units_table = np.asarray(config["units"], dtype=np.int64)
    bounds = np.asarray(config["bounds"], dtype=np.int64) << ID_BITS
    budget = max(1 << 16, config["map_entries"])
    blob = max(1 << 12, config["blob_entries"])
    runs, held = [], 0
    tokens = 0
    emitted = 0
    dense = DenseTable(config["vocab_size"], config["dense_cells"]) if config["dense_cells"] > 0 else None

    def flush(run):
        nonlocal emitted
        keys, units = run
        cuts = np.searchsorted(keys, bounds, side="left").tolist() + [len(keys)]
        for shard in range(len(bounds)):
            lo, hi = cuts[shard], cuts[shard + 1]
            for a in range(lo, hi, blob):
                b = min(hi, a + blob)
                emitted += 16 * (b - a)
                yield shard, (keys[a:b].tobytes(), units[a:b].tobytes())

    for split in splits:
        for chunk in read_split(split, config["block"]):
            toks = split_tokens(chunk)
            ids = np.fromiter(map(lookup.__getitem__, toks), dtype=np.int32, count=len(toks))
            tokens += int(np.count_nonzero(ids >= OOV))
            run = combine_packed(chunk_pairs(ids, window, symmetric, dense, units_table), units_table)
            if len(run[0]):
                runs.append(run)
                held += len(run[0])
            if held > budget:
                # Merge what is held; hand it to the shuffle once merging no longer halves it.
                merged = merge_runs(runs)
                runs = []
                if len(merged[0]) > budget // 2:
                    yield from flush(merged)
                    held = 0
                else:
                    runs = [merged]
                    held = len(merged[0])
    if dense is not None:
        run = dense.run()
        if len(run[0]):
            runs.append(run)
    if runs:
        yield from flush(merge_runs(runs))
    stats.add((tokens, emitted))


def write_shard(index, items, config, staging):
    """Sums the blocks of one shard and writes it (sorted, 16-byte records, 1-based ids)."""
    keys, units = [], []
    for shard, (k, u) in items:
        if shard != index:
            raise RuntimeError(f"block for shard {shard} arrived in partition {index}")
        keys.append(np.frombuffer(k, dtype=np.int64))
        units.append(np.frombuffer(u, dtype=np.int64))
    if keys:
        k, u = merge_runs(list(zip(keys, units)))
    else:
        k, u = np.empty(0, np.int64), np.empty(0, np.int64)
    del keys, units
    lo, hi = config["bounds"][index], (config["bounds"] + [config["vocab_size"]])[index + 1]
    if len(k) and ((k[0] >> ID_BITS) < lo or (k[-1] >> ID_BITS) >= hi):
        raise RuntimeError(f"shard {index}: word1 outside its range {lo}..<{hi}")
    rec = np.empty(len(k), dtype=[("w1", "<i4"), ("w2", "<i4"), ("v", "<f8")])
    rec["w1"] = (k >> ID_BITS) + 1
    rec["w2"] = (k & ID_MASK) + 1
    rec["v"] = u / config["denominator"]  # Double(units) / Double(denominator), as Wordshift
    if len(u) and u.min() <= 0:
        raise RuntimeError(f"shard {index}: a total is not positive")
    name = f"part-{index:05d}.bin"
    tmp = os.path.join(staging, f".{name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as f:
            rec.tofile(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(staging, name))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    yield index, name, len(rec), lo, hi


# --------------------------------------------------------------------------------------------
# Driver


def parse_size(text):
    t = text.strip().upper().rstrip("B")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(t[-1:], 1)
    if scale > 1:
        t = t[:-1]
    try:
        v = float(t)
    except ValueError:
        raise UsageError(f"cannot read the size {text!r} (use e.g. 64M, 1G)")
    if not v > 0 or v * scale > (1 << 50):
        raise UsageError(f"size {text!r} out of range")
    return max(1, int(v * scale))


def log(args, message):
    if not args.quiet:
        print(f"[glove_spark] {message}", file=sys.stderr, flush=True)


def check_output(path, force, inputs, is_dir):
    path = os.path.abspath(path)
    for i in inputs:
        same = os.path.abspath(i) == path
        if not same and os.path.exists(i) and os.path.exists(path):
            same = os.path.samefile(i, path)
        inside = os.path.abspath(i).startswith(path + os.sep)
        if same or (is_dir and inside):
            raise UsageError(f"{path}: the output would overwrite an input ({i})")
    if os.path.exists(path) and not force:
        raise UsageError(f"{path} exists (use --force to replace it)")
    if os.path.exists(path) and is_dir != os.path.isdir(path):
        raise UsageError(f"{path} exists and is {'not ' if is_dir else ''}a directory")
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent):
        raise UsageError(f"{parent}: no such directory for the output")


def spark_context(args, app):
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError:
        raise UsageError("pyspark is not installed (pip install pyspark; it needs a Java 17+ runtime)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise UsageError("no Java runtime found (install one, e.g. apt-get install openjdk-17-jre-headless, or set JAVA_HOME)")
    conf = SparkConf().setAppName(app)
    if args.master:
        conf.setMaster(args.master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[*]")
    conf.set("spark.ui.enabled", "false")
    conf.set("spark.ui.showConsoleProgress", "false")
    conf.set("spark.python.worker.reuse", "true")
    if not conf.contains("spark.driver.memory"):
        conf.set("spark.driver.memory", args.driver_memory)
    if args.temp_dir:
        conf.set("spark.local.dir", args.temp_dir)
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    return sc


def check_tokenizer(args):
    if args.tokenizer != "whitespace":
        raise UsageError("the Spark job supports --tokenizer whitespace only: Wordshift's unicode tokenizer "
                         "normalises with ICU NFKC_Casefold, which Python does not reproduce exactly; "
                         "count with `wordshift train cooccur --tokenizer unicode` on one machine, or use whitespace "
                         "(then pass --tokenizer whitespace to wordshift as well: its default is unicode)")


def run_vocab(args):
    check_tokenizer(args)
    check_output(args.out, args.force, args.corpus, is_dir=False)
    files = corpus_files(args.corpus)
    splits = make_splits(files, parse_size(args.split_size))
    started = time.time()
    sc = spark_context(args, "wordshift-vocab")
    try:
        master = sc.master
        log(args, f"vocabulary: {len(files)} files, {len(splits)} splits on {master}")
        sc.addPyFile(os.path.abspath(__file__))

        def count(split):
            import glove_spark
            return glove_spark.vocab_split(split)

        counted = (sc.parallelize(splits, len(splits))
                   .flatMap(count)
                   .reduceByKey(add, numPartitions=max(1, min(len(splits), sc.defaultParallelism * 2)),
                                partitionFunc=zlib.crc32))  # bytes keys: no PYTHONHASHSEED needed
        counted.cache()
        total = counted.lookup(b"")
        tokens = int(total[0]) if total else 0
        types = counted.count() - (1 if total else 0)
        min_count = args.min_count
        # Tokens Swift treats as one word (canonically equivalent text, or invalid UTF-8 that
        # decodes to the same text) are merged before --min-count, as Vocabulary.build does:
        # every non-ASCII token, and the ASCII tokens equal to one of them.
        wide = counted.filter(lambda p: p[0] != b"" and not p[0].isascii()).collect()
        ascii_keys = {k for k in (canonical_key(t) for t, _ in wide) if k.isascii()}
        wanted = sc.broadcast({k.encode() for k in ascii_keys})
        narrow = counted.filter(lambda p: p[0] != b"" and p[0].isascii() and (p[1] >= min_count or p[0] in wanted.value)).collect()
    finally:
        sc.stop()
    if tokens == 0:
        raise UsageError(f"{' '.join(args.corpus)}: the corpus has no tokens")
    ranked = rank_vocabulary(merge_equivalent(wide, narrow), args.min_count, args.max_vocab)
    if not ranked:
        raise UsageError(f"no word occurs at least {args.min_count} times (--min-count); {types} distinct words in {tokens} tokens")
    tmp = f"{args.out}.{uuid.uuid4().hex}.tmp"
    try:
        with open(tmp, "wb") as f:
            for t, n in ranked:
                f.write(vocab_word(t) + b" " + str(n).encode() + b"\n")
        os.replace(tmp, args.out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    seconds = time.time() - started
    summary = {"command": "vocab", "out": args.out, "master": master, "files": len(files), "splits": len(splits),
               "tokens": tokens, "types": types, "words": len(ranked), "min_count": args.min_count,
               "max_vocab": args.max_vocab, "seconds": round(seconds, 3)}
    log(args, f"vocabulary: {len(ranked)} words (of {types}) from {tokens} tokens in {seconds:.1f} s -> {args.out}")
    return summary


def run_cooccur(args):
    check_tokenizer(args)
    if not 1 <= args.window <= MAX_WINDOW:
        raise UsageError(f"--window must be within 1...{MAX_WINDOW} on Spark")
    if args.shards < 1 or args.shards > 100000:
        raise UsageError("--shards must be within 1...100000")
    check_output(args.out, args.force, args.corpus + [args.vocab], is_dir=True)
    words = read_vocab(args.vocab)
    if len(words) > MAX_VOCAB:
        raise UsageError(f"{args.vocab}: {len(words)} words; the Spark job (and Wordshift's training) supports at most {MAX_VOCAB}")
    counts = []
    with open(args.vocab, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if line:
                counts.append(int(line[line.rfind(b" ") + 1:]))
    files = corpus_files(args.corpus)
    splits = make_splits(files, parse_size(args.split_size))
    symmetric = args.symmetric and not args.left_only
    denominator, units = weight_units(args.window, not args.no_distance_weighting)
    shards = min(args.shards, len(words))
    bounds = shard_bounds(counts, shards, args.window, symmetric)
    map_entries = parse_size(args.map_memory) // 16
    config = {"window": args.window, "symmetric": symmetric, "units": units, "denominator": denominator,
              "bounds": bounds, "vocab_size": len(words), "map_entries": map_entries,
              "blob_entries": (4 << 20) // 16 * 8, "block": 1 << 20,
              "dense_cells": parse_size(args.dense_memory) // 8 if args.dense_memory != "0" else 0}
    out = os.path.abspath(args.out)
    staging = f"{out}.partial-{uuid.uuid4().hex[:12]}"
    os.mkdir(staging)
    started = time.time()
    try:
        sc = spark_context(args, "wordshift-cooccur")
        try:
            master = sc.master
            tasks = len(splits)
            log(args, f"co-occurrence: {len(files)} files, {tasks} splits, {shards} shards on {master}")
            from pyspark.accumulators import AccumulatorParam

            class PairParam(AccumulatorParam):
                def zero(self, v):
                    return (0, 0)

                def addInPlace(self, a, b):
                    return (a[0] + b[0], a[1] + b[1])

            stats = sc.accumulator((0, 0), PairParam())
            bc = sc.broadcast(words)
            sc.addPyFile(os.path.abspath(__file__))

            def count(it):
                import glove_spark  # by reference on the workers, so its caches live across tasks
                return glove_spark.cooccur_partition(list(it), config, bc, stats)

            def write(i, it):
                import glove_spark
                return glove_spark.write_shard(i, it, config, staging)

            written = (sc.parallelize(splits, tasks)
                       .mapPartitions(count)
                       .partitionBy(shards, partitionFunc=lambda s: s)
                       .mapPartitionsWithIndex(write)
                       .collect())
            tokens, shuffled = stats.value
        finally:
            sc.stop()
        written.sort()
        if [w[0] for w in written] != list(range(shards)):
            raise RuntimeError("some shards were not written")
        fingerprint = vocabulary_fingerprint(words)
        records = 0
        for index, name, n, lo, hi in written:
            manifest = {
                "corpus_sha256": None, "distance_weighting": not args.no_distance_weighting, "format": FORMAT,
                "keep_case": args.keep_case, "producer": f"{PRODUCER} cooccur", "records": n, "sorted": True,
                "symmetric": symmetric, "tokenizer": "whitespace", "tokens": tokens,
                "vocabulary_sha256": fingerprint, "vocabulary_size": len(words), "window": args.window,
                "shard": index, "shards": shards, "word1_first": lo + 1, "word1_last": hi,
            }
            with open(os.path.join(staging, name + ".json"), "w") as f:
                json.dump(manifest, f, indent=2, sort_keys=True)
                f.write("\n")
            records += n
        if os.path.exists(out):
            old = f"{out}.old-{uuid.uuid4().hex[:12]}"
            os.rename(out, old)
            os.rename(staging, out)
            shutil.rmtree(old)
        else:
            os.rename(staging, out)
    finally:
        if os.path.exists(staging):
            shutil.rmtree(staging)
    seconds = time.time() - started
    summary = {"command": "cooccur", "out": args.out, "master": master, "files": len(files), "splits": len(splits),
               "shards": shards, "tokens": tokens, "records": records, "shuffle_payload_bytes": shuffled,
               "window": args.window, "symmetric": symmetric, "distance_weighting": not args.no_distance_weighting,
               "seconds": round(seconds, 3), "tokens_per_second": round(tokens / seconds) if seconds > 0 else None}
    log(args, f"co-occurrence: {records} pairs in {shards} shards from {tokens} tokens in {seconds:.1f} s "
              f"({tokens / max(seconds, 1e-9):,.0f} tokens/s) -> {args.out}")
    return summary


def main(argv=None):
    p = argparse.ArgumentParser(prog="glove_spark.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="See docs/spark.md for the file formats, tests and the cluster cost model.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(q):
        q.add_argument("--corpus", nargs="+", required=True, help="corpus files or directories (plain or gzip); every worker must see these paths")
        q.add_argument("--tokenizer", default="whitespace", choices=["whitespace", "unicode"],
                       help="whitespace (the only one supported on Spark; wordshift's default is unicode)")
        q.add_argument("--master", help="Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*])")
        q.add_argument("--split-size", default="64M", help="bytes of plain text per task (gzip files are one task each; default 64M)")
        q.add_argument("--temp-dir", help="Spark's local directory for shuffle files (spark.local.dir)")
        q.add_argument("--driver-memory", default="2g", help="JVM memory of the driver (local mode: the executor too; default 2g)")
        q.add_argument("--force", action="store_true", help="replace an existing --out")
        q.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
        q.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")

    v = sub.add_parser("vocab", help="count the vocabulary into a vocab.txt (like `wordshift train vocab`)")
    common(v)
    v.add_argument("--out", required=True, help="vocab.txt to write")
    v.add_argument("--min-count", type=int, default=5, help="drop words seen fewer times (default 5)")
    v.add_argument("--max-vocab", type=int, help="keep at most this many words (most frequent)")

    c = sub.add_parser("cooccur", help="count co-occurrences into sorted reference-format shards (like `wordshift train cooccur`)")
    common(c)
    c.add_argument("--vocab", required=True, help="vocab.txt whose line numbers are the ids")
    c.add_argument("--out", required=True, help="directory of part-NNNNN.bin shards (+ .json manifests) to create")
    c.add_argument("--window", type=int, default=15, help="context words on each side (default 15)")
    c.add_argument("--symmetric", action=argparse.BooleanOptionalAction, default=True, help="count both sides (default)")
    c.add_argument("--left-only", action="store_true", help="left context only (same as --no-symmetric)")
    c.add_argument("--no-distance-weighting", action="store_true", help="weight every pair 1 instead of 1/d")
    c.add_argument("--keep-case", action="store_true", help="recorded in the manifests only (whitespace keeps case anyway)")
    c.add_argument("--shards", type=int, default=8, help="output shards: disjoint ranges of word1 (default 8)")
    c.add_argument("--map-memory", default="128M",
                   help="16-byte pairs a task holds while it combines them, before they go to the shuffle (default 128M; the task peaks at about 3x)")
    c.add_argument("--dense-memory", default="32M",
                   help="table of a task for the frequent pairs, 8 bytes a cell (default 32M; 0: none)")
    args = p.parse_args(argv)
    try:
        if args.command == "vocab":
            if args.min_count < 1 or (args.max_vocab is not None and args.max_vocab < 1):
                raise UsageError("--min-count and --max-vocab must be at least 1")
            summary = run_vocab(args)
        else:
            summary = run_cooccur(args)
    except UsageError as e:
        print(f"glove_spark.py: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a failed Spark job, a damaged gzip file, a full disk: one line, then the details
        if os.environ.get("GLOVE_SPARK_TRACEBACK"):
            raise
        lines = [l for l in str(e).splitlines() if l.strip()]
        print(f"glove_spark.py: error: {type(e).__name__}: {lines[0] if lines else ''}", file=sys.stderr)
        cause = [l.strip() for l in lines if "Error:" in l or "Exception:" in l]
        if cause:
            print(f"  cause: {cause[-1][:500]}", file=sys.stderr)
        print("  (nothing was written; set GLOVE_SPARK_TRACEBACK=1 for the full trace)", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
