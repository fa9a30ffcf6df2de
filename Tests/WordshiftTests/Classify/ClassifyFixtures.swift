import Foundation
@testable import Wordshift

/// Small stores and labeled files for the classifier tests.
enum ClassifyFixtures {
    /// A 4-dimensional store of a few sentiment words.
    static func store(in dir: String, dimension: Int = 4) throws -> String {
        let words = ["good", "great", "fine", "bad", "awful", "poor", "the", "movie", "food", "was"]
        var text = "\(words.count) \(dimension)\n"
        for (i, w) in words.enumerated() {
            let v = (0..<dimension).map { j in Double((i * 7 + j * 3) % 11) / 10 - 0.5 }
            text += w + " " + v.map { String($0) }.joined(separator: " ") + "\n"
        }
        let src = Scratch.write(text, name: "toy.vec", in: dir)
        let path = dir + "/toy-\(dimension).sqlite"
        _ = try VectorImport.importFile(src, to: path)
        return path
    }

    /// A separable two-class problem: positive lines use positive words, negative lines negative ones.
    static func toyData(_ n: Int, seed: UInt64 = 3) -> LabeledDataset {
        var rng = SeededRandom(seed: seed)
        let pos = ["good", "great", "fine", "Superb", "lovely"], neg = ["bad", "awful", "poor", "Dreadful", "boring"]
        let filler = ["the", "movie", "food", "was", "really", "quite"]
        var texts: [String] = [], labels: [Int] = []
        for i in 0..<n {
            let label = i % 2
            var words: [String] = []
            for _ in 0..<6 { words.append(filler[rng.next(below: filler.count)]) }
            for _ in 0..<2 { words.insert((label == 1 ? pos : neg)[rng.next(below: 5)], at: rng.next(below: words.count)) }
            texts.append(words.joined(separator: " ") + "!")
            labels.append(label)
        }
        return LabeledDataset(labels: ["neg", "pos"], texts: texts, labelIDs: labels, source: "toy")
    }

    static func config(_ index: EmbeddingIndex, threads: Int = 1, seed: UInt64 = 5, epochs: Int = 10) -> ClassifierConfig {
        ClassifierConfig(features: FeatureConfig(storeCount: index.count, buckets: 4096, wordNgrams: 2),
                         dimension: index.dimension, epochs: epochs, learningRate: 0.5, threads: threads, seed: seed,
                         validFraction: 0.1)
    }

    static func fileBytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }
}
