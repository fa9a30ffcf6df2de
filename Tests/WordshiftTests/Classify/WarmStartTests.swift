import Foundation
import Testing
@testable import Wordshift

@Suite struct ClassifyWarmStartTests {
    static func flipped(_ d: LabeledDataset) -> LabeledDataset {
        LabeledDataset(labels: d.labels, texts: d.texts, labelIDs: d.labelIDs.map { 1 - $0 }, source: "flipped")
    }

    /// With a learning rate too small to move anything, a warm-started head predicts what its
    /// start predicts; a fresh head with the same settings does not.
    @Test func warmStartBeginsFromTheGivenHead() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let train = ClassifyFixtures.toyData(200), test = ClassifyFixtures.toyData(60, seed: 31)
        let start = try Classifier.train(index: index, train: train, config: ClassifyFixtures.config(index)).head
        var cfg = ClassifyFixtures.config(index, epochs: 1)
        cfg.learningRate = 1e-7
        let fresh = try Classifier.train(index: index, train: train, config: cfg).head
        cfg.warmStart = start
        let warm = try Classifier.train(index: index, train: train, config: cfg).head
        let p0 = start.probabilities(test.texts, threads: 1), p1 = warm.probabilities(test.texts, threads: 1)
        #expect(zip(p0, p1).allSatisfy { abs($0 - $1) < 1e-3 })
        #expect(warm.evaluate(test).accuracy == start.evaluate(test).accuracy)
        #expect(fresh.evaluate(test).accuracy < start.evaluate(test).accuracy)
        // The start head is read, never written.
        #expect(start.probabilities(test.texts, threads: 1) == p0)
    }

    /// Trained on flipped labels, a free warm start flips its decisions; a full-strength anchor
    /// (every update pulled all the way back) keeps the start's decisions.
    @Test func anchorHoldsTheStartHead() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let train = ClassifyFixtures.toyData(200), test = ClassifyFixtures.toyData(60, seed: 31)
        let start = try Classifier.train(index: index, train: train, config: ClassifyFixtures.config(index)).head
        var cfg = ClassifyFixtures.config(index, threads: 1, epochs: 5)
        cfg.warmStart = start
        let free = try Classifier.train(index: index, train: Self.flipped(train), config: cfg).head
        #expect(free.evaluate(test).accuracy < 0.2)
        cfg.anchorWeight = 1e6
        let held = try Classifier.train(index: index, train: Self.flipped(train), config: cfg).head
        #expect(held.evaluate(test).accuracy == start.evaluate(test).accuracy)
        let p0 = start.probabilities(test.texts, threads: 1), p1 = held.probabilities(test.texts, threads: 1)
        #expect(zip(p0, p1).allSatisfy { abs($0 - $1) < 1e-5 })
        // A moderate anchor lands in between: fewer flipped decisions than the free head.
        cfg.anchorWeight = 2
        let pulled = try Classifier.train(index: index, train: Self.flipped(train), config: cfg).head
        #expect(pulled.evaluate(test).accuracy > free.evaluate(test).accuracy)
    }

    @Test func warmStartRefusesAnotherLayoutOrOtherLabels() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let train = ClassifyFixtures.toyData(100)
        let start = try Classifier.train(index: index, train: train, config: ClassifyFixtures.config(index, epochs: 2)).head
        var cfg = ClassifyFixtures.config(index, epochs: 2)
        cfg.features.buckets = 2048
        cfg.warmStart = start
        #expect(throws: WordshiftError.self) { try Classifier.train(index: index, train: train, config: cfg) }
        cfg = ClassifyFixtures.config(index, epochs: 2)
        cfg.warmStart = start
        let renamed = LabeledDataset(labels: ["bad", "good"], texts: train.texts, labelIDs: train.labelIDs, source: "toy")
        #expect(throws: WordshiftError.self) { try Classifier.train(index: index, train: renamed, config: cfg) }
        cfg.anchorWeight = -1
        #expect(throws: WordshiftError.self) { try Classifier.train(index: index, train: train, config: cfg) }
    }

    /// The anchor weight is saved with the head's configuration; the warm-start head is not, and
    /// configurations saved before warm starts existed still load.
    @Test func configCodingKeepsTheAnchorWeight() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        var cfg = ClassifyFixtures.config(index)
        cfg.anchorWeight = 0.5
        cfg.warmStart = try Classifier.train(index: index, train: ClassifyFixtures.toyData(50), config: ClassifyFixtures.config(index, epochs: 1)).head
        let data = try JSONEncoder().encode(cfg)
        let back = try JSONDecoder().decode(ClassifierConfig.self, from: data)
        #expect(back.anchorWeight == 0.5 && back.warmStart == nil)
        var plain = cfg
        plain.warmStart = nil
        #expect(back == plain && back != cfg)
        plain.anchorWeight = 0
        let old = try JSONEncoder().encode(plain)
        #expect(!(String(data: old, encoding: .utf8) ?? "").contains("anchorWeight"))
        #expect(try JSONDecoder().decode(ClassifierConfig.self, from: old) == plain)
    }
}
