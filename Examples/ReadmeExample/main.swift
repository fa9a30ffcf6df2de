import Wordshift

// Train 50-d GloVe vectors on a corpus. Long work reports progress as events; print what you need.
var config = GloVeConfig()
config.dimension = 50
let summary = try GloVePipeline.train(corpus: ["corpora/data/corpus/enwiki-2015-head.txt"],
                                      out: "vectors/mine.sqlite", config: config) { event in
    if event.kind == .end, let line = event.message { print(event.stage, line) }
}
print("trained \(summary.vocabularySize) words, \(summary.pairs) pairs")

// Open a store for queries (`wordshift demo` writes this one, with n-grams for unseen words).
let vectors = try WordVectors(path: "vectors/demo.sqlite")
for neighbor in try vectors.nearest(to: "king", k: 5) {
    print(neighbor.word, neighbor.score)
}
let answers = try vectors.analogy(a: "man", b: "king", c: "woman", k: 1)
print("man : king :: woman :", answers.first?.word ?? "?")
print("similarity(cat, dog):", try vectors.similarity("cat", "dog"))
print("odd one out:", try vectors.doesntMatch(["breakfast", "lunch", "dinner", "car"]))

// A word the vocabulary lacks gets a vector from its character n-grams.
let unseen = "kittens"
print(unseen, "from", vectors.source(of: unseen).map { "\($0)" } ?? "nowhere", try vectors.nearest(to: unseen, k: 1)[0].word)
