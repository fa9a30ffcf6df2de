import Testing
@testable import Wordshift

/// Issue 12 §8: classifier training on several threads shares nothing mutable (each worker trains
/// its own copy between merges), so it is deterministic for a seed and thread count.
@Suite struct ParallelTrainingTests {
    @Test func twoThreadsAreDeterministicAcrossSeveralMerges() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        // 3,000 examples on 2 threads: 1,500 per worker, 24 phases and merges per epoch.
        let train = ClassifyFixtures.toyData(3000), test = ClassifyFixtures.toyData(200, seed: 77)
        #expect(train.count / 2 > HogwildTrainer.syncInterval)
        for hidden in [0, 8] {
            var cfg = ClassifyFixtures.config(index, threads: 2, epochs: 3)
            cfg.hidden = hidden
            let a = try Classifier.train(index: index, train: train, config: cfg)
            let b = try Classifier.train(index: index, train: train, config: cfg)
            #expect(a.head.probabilities(test.texts) == b.head.probabilities(test.texts), "hidden \(hidden)")
            #expect(a.head.evaluate(test).accuracy == 1, "hidden \(hidden)")
            // A different seed trains a different head (the comparison above can fail).
            cfg.seed = 8
            let c = try Classifier.train(index: index, train: train, config: cfg)
            #expect(a.head.probabilities(test.texts) != c.head.probabilities(test.texts))
        }
    }

    @Test func mergeAddsEveryWorkersChangeOnce() throws {
        // Two workers change the same row and dense weights; the merged model holds the start value
        // plus both changes; a row only one worker wrote is its copy.
        let features = FeatureConfig(storeCount: 0, buckets: 4, wordNgrams: 1)
        let config = ClassifierConfig(features: features, dimension: 2, epochs: 1, threads: 2)
        let model = ClassifierModel(config: config, labelCount: 2, vectors: nil)
        for i in 0..<model.input.count { model.input[i] = 1 }
        model.b2[0] = 10
        let a = LocalParameters(model, alone: false), b = LocalParameters(model, alone: false)
        defer { a.release(); b.release() }
        a.beginPhase(); b.beginPhase()
        a.writableRow(1)[0] += 2
        b.writableRow(1)[0] += 3
        b.writableRow(2)[1] = 7
        a.b2[0] += 1; b.b2[0] -= 4
        #expect(model.input[2] == 1 && model.b2[0] == 10, "workers never write the model")
        #expect(a.row(1)[0] == 3 && b.row(1)[0] == 4 && a.row(2)[1] == 1)
        LocalParameters.merge([a, b], into: model)
        #expect(model.input[2] == 6 && model.input[3] == 1)
        #expect(model.input[5] == 7 && model.input[4] == 1)
        #expect(model.b2[0] == 7)
        a.beginPhase()
        #expect(a.row(1)[0] == 6 && a.b2[0] == 7, "a new phase starts from the merged model")
    }
}
