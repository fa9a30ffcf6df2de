import Testing
@testable import Wordshift

@Suite struct ClassifyModelTests {
    @Test func separableToyProblemReachesFullAccuracy() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let train = ClassifyFixtures.toyData(400), test = ClassifyFixtures.toyData(200, seed: 99)
        for hidden in [0, 8] {
            var cfg = ClassifyFixtures.config(index, threads: 2)
            cfg.hidden = hidden
            let r = try Classifier.train(index: index, train: train, config: cfg)
            let m = r.head.evaluate(test)
            #expect(m.accuracy == 1, "hidden \(hidden): \(m.accuracy)")
            #expect(r.validation?.accuracy == 1)
        }
    }

    @Test func sameSeedOneThreadIsDeterministic() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let train = ClassifyFixtures.toyData(200), test = ClassifyFixtures.toyData(50, seed: 42)
        let a = try Classifier.train(index: index, train: train, config: ClassifyFixtures.config(index, epochs: 3))
        let b = try Classifier.train(index: index, train: train, config: ClassifyFixtures.config(index, epochs: 3))
        #expect(a.head.probabilities(test.texts) == b.head.probabilities(test.texts))
        let c = try Classifier.train(index: index, train: train, config: ClassifyFixtures.config(index, seed: 6, epochs: 3))
        #expect(a.head.probabilities(test.texts) != c.head.probabilities(test.texts))
    }

    @Test func frozenVectorsStayFixed() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        var cfg = ClassifyFixtures.config(index)
        cfg.freeze = true
        let r = try Classifier.train(index: index, train: ClassifyFixtures.toyData(100), config: cfg)
        for row in 0..<index.count {
            let v = index.vector(row)
            for j in 0..<index.dimension { #expect(r.head.model.input[row * index.dimension + j] == v[j]) }
        }
        #expect(r.head.parameters().first { $0.name == "input_ids" }?.ints?.allSatisfy { Int($0) >= index.count } == true)
    }

    @Test func classWeightsBalance() {
        var set = TrainingSet()
        set.append(EncodedDocs(), labels: [0, 0, 0, 1])
        set.balance(classes: 2)
        let expected: [Float] = [Float(4) / 6, Float(4) / 6, Float(4) / 6, 2]
        #expect(set.weights == expected)
    }
}
