import Testing
@testable import Wordshift

@Suite struct ClassifyHeadStoreTests {
    @Test func saveLoadRoundTripGivesIdenticalPredictions() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let store = try VectorStore(path: path)
        let index = try store.loadIndex()
        let test = ClassifyFixtures.toyData(60, seed: 11)
        for hidden in [0, 4] {
            var cfg = ClassifyFixtures.config(index, epochs: 3)
            cfg.hidden = hidden
            cfg.features.subwords = true
            let r = try Classifier.train(index: index, train: ClassifyFixtures.toyData(100), config: cfg)
            let v1 = try HeadStore.save(r.head, name: "toy\(hidden)", metrics: r.validation, to: path)
            let v2 = try HeadStore.save(r.head, name: "toy\(hidden)", metrics: r.validation, to: path)
            #expect(v1 == 1 && v2 == 2)
            let reopened = try VectorStore(path: path)
            let loaded = try HeadStore.load(name: "toy\(hidden)", store: reopened, index: reopened.loadIndex())
            #expect(loaded.labels == r.head.labels)
            #expect(loaded.model.config == cfg)
            #expect(loaded.probabilities(test.texts) == r.head.probabilities(test.texts))
            let first = try HeadStore.load(name: "toy\(hidden)", version: 1, store: reopened, index: index)
            #expect(first.probabilities(test.texts) == r.head.probabilities(test.texts))
        }
        let list = try HeadStore.list(VectorStore(path: path))
        #expect(list.map(\.name) == ["toy0", "toy4"])
        #expect(list.map(\.version) == [2, 2])
        #expect(list[0].metrics?.count == 10)
    }

    @Test func errorsLeaveTheStoreUnchanged() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let index = try VectorStore(path: path).loadIndex()
        let r = try Classifier.train(index: index, train: ClassifyFixtures.toyData(60), config: ClassifyFixtures.config(index, epochs: 1))
        try HeadStore.save(r.head, name: "a", metrics: nil, to: path)
        let before = ClassifyFixtures.fileBytes(path)

        // Unknown head name.
        let store = try VectorStore(path: path)
        #expect(throws: WordshiftError.self) { try HeadStore.load(name: "missing", store: store, index: index) }
        // A head trained over another store's dimension.
        let other = try VectorStore(path: try ClassifyFixtures.store(in: dir, dimension: 8)).loadIndex()
        let wide = try Classifier.train(index: other, train: ClassifyFixtures.toyData(60), config: ClassifyFixtures.config(other, epochs: 1))
        #expect(throws: WordshiftError.self) { try HeadStore.save(wide.head, name: "wide", metrics: nil, to: path) }
        // Loading a head whose dimension disagrees with the store.
        let otherPath = dir + "/toy-8.sqlite"
        try HeadStore.save(wide.head, name: "wide", metrics: nil, to: otherPath)
        #expect(throws: WordshiftError.self) { try HeadStore.load(name: "wide", store: VectorStore(path: otherPath), index: index) }
        // A single class.
        var single = ClassifyFixtures.toyData(20)
        single.labelIDs = single.labelIDs.map { _ in 1 }
        #expect(throws: WordshiftError.self) { try Classifier.train(index: index, train: single, config: ClassifyFixtures.config(index)) }
        // An empty name.
        #expect(throws: WordshiftError.self) { try HeadStore.save(r.head, name: "", metrics: nil, to: path) }
        #expect(ClassifyFixtures.fileBytes(path) == before)
        #expect(try HeadStore.list(VectorStore(path: path)).map(\.name) == ["a"])
    }
}
