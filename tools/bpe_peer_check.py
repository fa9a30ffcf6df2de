#!/usr/bin/env python3
"""BPE peer check against Hugging Face `tokenizers` (pip), in one run:

1. train both on the same corpus with the same vocabulary size (word-level BPE, Whitespace
   pre-tokenizer, end-of-word suffix "</w>", min frequency 2) and report both times;
2. give Wordshift the peer's merges (its tokenizer.json) and check that every distinct word
   of the corpus is segmented identically by both (must be 100%);
3. time encoding the whole corpus with both (peer: encode_batch over lines, all threads;
   Wordshift: `subword encode`).

    python3 tools/bpe_peer_check.py --corpus ../shared/data/corpus/enwiki-2015-head.txt \
        --vocab-size 8000 [--wordshift .build/release/wordshift] [--runs 3] [--json OUT]
Exit status 1 if any word's segmentation differs.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

from tokenizers import Tokenizer, models, pre_tokenizers, trainers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def peer_train(corpus, vocab_size):
    tok = Tokenizer(models.BPE(unk_token="<unk>", end_of_word_suffix="</w>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2, end_of_word_suffix="</w>",
                                  special_tokens=["<unk>"], show_progress=False)
    t = time.perf_counter()
    tok.train([corpus], trainer)
    return tok, time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "data", "corpus", "enwiki-2015-head.txt"))
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--wordshift", default=os.path.join(ROOT, ".build", "release", "wordshift"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bpe-peer-")
    lines = open(a.corpus, encoding="utf-8").read().splitlines()

    peer_times, ours_times = [], []
    for _ in range(a.runs):
        tok, secs = peer_train(a.corpus, a.vocab_size)
        peer_times.append(secs)
        t = time.perf_counter()
        subprocess.run([a.wordshift, "subword", "train", "--corpus", a.corpus, "--vocab-size", str(a.vocab_size),
                        "--out", os.path.join(tmp, "ours.json"), "--quiet"], check=True, stdout=subprocess.DEVNULL)
        ours_times.append(time.perf_counter() - t)
    peer_json = os.path.join(tmp, "peer.json")
    tok.save(peer_json)

    # Same merges: segment every distinct word with both.
    words = sorted({w for line in lines for w, _ in tok.pre_tokenizer.pre_tokenize_str(line)})
    words_file = os.path.join(tmp, "words.txt")
    with open(words_file, "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    ours = subprocess.run([a.wordshift, "subword", "encode", peer_json, words_file], check=True,
                          capture_output=True, text=True).stdout.splitlines()
    peer = [" ".join(e.tokens) for e in tok.encode_batch(words)]
    mismatches = [(w, p, o) for w, p, o in zip(words, peer, ours) if p != o]
    agree = 1 - len(mismatches) / max(1, len(words))

    # Encoding speed over the whole corpus.
    enc_peer, enc_ours = [], []
    for _ in range(a.runs):
        t = time.perf_counter(); tok.encode_batch(lines); enc_peer.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([a.wordshift, "subword", "encode", peer_json, a.corpus], check=True, stdout=subprocess.DEVNULL)
        enc_ours.append(time.perf_counter() - t)

    result = {
        "corpus": a.corpus, "vocab_size": a.vocab_size, "tokenizers_version": __import__("tokenizers").__version__,
        "train_seconds_median": {"tokenizers": statistics.median(peer_times), "wordshift": statistics.median(ours_times)},
        "encode_corpus_seconds_median": {"tokenizers": statistics.median(enc_peer), "wordshift": statistics.median(enc_ours)},
        "distinct_words": len(words), "segmentation_agreement": agree, "mismatches": mismatches[:20],
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, ensure_ascii=False, indent=1)
    sys.exit(0 if not mismatches else 1)


if __name__ == "__main__":
    main()
