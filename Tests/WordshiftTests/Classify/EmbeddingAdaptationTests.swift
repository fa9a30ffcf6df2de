import Testing
@testable import Wordshift

@Suite struct ClassifyEmbeddingAdaptationTests {
    /// A head trained on data that is 85% positive (no class weights) labels a balanced target
    /// about half and half, and mostly right, once told its training prior (the target prior is
    /// then estimated by EM) — and exactly half and half when told the target is balanced.
    @Test func ensembleLabelsFollowTheTargetPriorAndAreMostlyRight() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let all = ClassifyFixtures.toyData(600)
        let skewed = all.subset((0..<all.count).filter { all.labelIDs[$0] == 1 || $0 % 6 == 0 })
        var cfg = ClassifyFixtures.config(index, threads: 1, epochs: 3)
        cfg.balanceClasses = false
        let head = try Classifier.train(index: index, train: skewed, config: cfg).head
        let target = ClassifyFixtures.toyData(200, seed: 77)
        let trained = skewed.labelCounts.map { Double($0) / Double(skewed.count) }
        let pseudo = try EmbeddingAdaptation.ensembleLabels([head, head], target: target.texts, fraction: 1, threads: 1,
                                                            estimatePrior: true, trainingPrior: trained)
        #expect(pseudo.count == 200)
        #expect(pseudo.labelCounts.allSatisfy { $0 >= 90 && $0 <= 110 }, "\(pseudo.labelCounts)")
        let balanced = try EmbeddingAdaptation.ensembleLabels([head, head], target: target.texts, fraction: 1, threads: 1,
                                                              prior: [0.5, 0.5])
        #expect(balanced.labelCounts == [100, 100], "\(balanced.labelCounts)")
        var right = 0
        for (text, label) in zip(pseudo.texts, pseudo.labelIDs) {
            if let i = target.texts.firstIndex(of: text), target.labelIDs[i] == label { right += 1 }
        }
        #expect(right >= 176, "\(right) of \(pseudo.count)")
        let half = try EmbeddingAdaptation.ensembleLabels([head], target: target.texts, fraction: 0.5, threads: 1, prior: [0.5, 0.5])
        #expect(half.labelCounts == [50, 50], "\(half.labelCounts)")
    }

    @Test func ensembleNeedsHeadsWithTheSameLabels() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let data = ClassifyFixtures.toyData(100)
        let cfg = ClassifyFixtures.config(index, threads: 1, epochs: 2)
        let a = try Classifier.train(index: index, train: data, config: cfg).head
        let renamed = LabeledDataset(labels: ["bad", "good"], texts: data.texts, labelIDs: data.labelIDs, source: "toy")
        let b = try Classifier.train(index: index, train: renamed, config: cfg).head
        #expect(throws: WordshiftError.self) {
            try EmbeddingAdaptation.ensembleLabels([a, b], target: data.texts, fraction: 1, threads: 1)
        }
    }

    @Test func transferHeadUsesFrozenVectorsWithoutBuckets() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let c = EmbeddingAdaptation.transferConfig(ClassifyFixtures.config(index), adapted: index, options: EmbeddingAdaptation.Options())
        #expect(c.freeze && c.features.buckets == 0 && c.features.wordNgrams == 1 && c.features.storeCount == index.count)
    }

    /// SIF: a / (a + p) with p the count share over the corpus rows; copied rows keep weight 1.
    @Test func sifWeightsFrequentWordsDown() {
        let index = EmbeddingIndex(words: ["the", "film", "gem", "copied"], counts: [900, 99, 1, 5000], dimension: 2,
                                   vectors: [1, 0, 0, 2, 3, 4, 1, 1])
        let w = EmbeddingAdaptation.sifWeighted(index, a: 0.01, corpusRows: 3)
        func scale(_ r: Int) -> Float { w.norms[r] / index.norms[r] }
        #expect(abs(scale(0) - Float(0.01 / (0.01 + 0.9))) < 1e-5)
        #expect(abs(scale(2) - Float(0.01 / (0.01 + 0.001))) < 1e-5)
        #expect(abs(scale(3) - 1) < 1e-6)
        #expect(zip(w.unitVector(1), index.unitVector(1)).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
