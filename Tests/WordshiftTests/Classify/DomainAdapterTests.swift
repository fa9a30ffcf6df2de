import Foundation
import Synchronization
import Testing
@testable import Wordshift

@Suite struct ClassifyDomainAdapterTests {
    /// Small, fast settings on the toy store (the defaults are the full-size ones).
    static func options(_ method: AdaptationMethod) -> DomainAdapter.Options {
        var o = DomainAdapter.Options()
        o.method = method
        o.threads = 1
        o.epochs = 3
        o.learningRate = 0.5
        o.buckets = 4096
        o.seed = 5
        o.mittens.iterations = 2
        o.mittens.minCount = 1
        return o
    }

    static func data() -> (source: LabeledDataset, target: LabeledDataset) {
        (ClassifyFixtures.toyData(200), ClassifyFixtures.toyData(120, seed: 8))
    }

    @Test func defaultsAreTheBenchmarkSettings() {
        let o = DomainAdapter.Options()
        #expect(o.method == .auto)
        #expect(o.autoCandidates == [.embeddings, .embeddingsSelfTrain, .selfTrain] && o.autoReplicates == 5)
        #expect(o.fewShot.anchorWeights == [10, 1, 0.1, 0.01, 0] && o.fewShot.folds == 5)
        #expect(o.mittens.mu == 0.1 && o.mittens.window == 50 && o.mittens.iterations == 10 && o.mittens.minCount == 5 && o.mittens.withSource)
        #expect(o.epochs == 10 && o.wordNgrams == 2 && o.learningRate == 0.1 && !o.freeze && o.hidden == 0)
        #expect(o.transfer.sif == 1e-3 && o.transfer.selfTrainFractions == [0.2, 0.4, 0.6] && o.transfer.freezeVectors)
        #expect(o.transfer.heads == 1)
    }

    /// `transfer.heads`: averaging output layers is averaging the scores of frozen linear heads;
    /// the adapter records the setting, gives the same head twice, and refuses settings where the
    /// mean would not be one head.
    @Test func transferHeadsAverageScoresOfFrozenLinearHeads() throws {
        let dir = TestData.scratchDirectory()
        let base = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let (source, target) = Self.data()
        var c = ClassifyFixtures.config(base, epochs: 3)
        c.freeze = true; c.features.buckets = 0; c.features.wordNgrams = 1
        let a = try Classifier.train(index: base, train: source, config: c).head
        c.seed = 6
        let b = try Classifier.train(index: base, train: source, config: c).head
        func margins(_ h: ClassifierHead) -> [Double] {
            let p = h.probabilities(target.texts)
            return (0..<target.count).map { log(Double(p[2 * $0 + 1])) - log(Double(p[2 * $0])) }
        }
        let (ma, mb) = (margins(a), margins(b))
        #expect(zip(ma, mb).contains { abs($0 - $1) > 1e-3 })  // two different heads
        try EmbeddingAdaptation.averageOutputLayers(into: a.model, with: [b.model])
        for (m, (x, y)) in zip(margins(a), zip(ma, mb)) { #expect(abs(m - (x + y) / 2) < 1e-4) }

        var o = Self.options(.embeddings)
        o.transfer.heads = 2
        let one = try DomainAdapter(options: o).adapt(base: base, source: source, target: target.texts)
        let again = try DomainAdapter(options: o).adapt(base: base, source: source, target: target.texts)
        #expect(one.head.probabilities(target.texts) == again.head.probabilities(target.texts))
        #expect(one.provenance.settings["transfer.heads"] == "2")
        o.transfer.heads = 1
        let single = try DomainAdapter(options: o).adapt(base: base, source: source, target: target.texts)
        #expect(single.head.probabilities(target.texts) != one.head.probabilities(target.texts))
        for bad in [0, EmbeddingAdaptation.maximumHeads + 1] {
            o.transfer.heads = bad
            #expect(throws: WordshiftError.self) { try o.validate(for: base) }
        }
        o.transfer.heads = 2
        o.transfer.freezeVectors = false
        #expect(throws: WordshiftError.self) { try o.validate(for: base) }
    }

    /// The best method end to end: Mittens in the library, a head over the adapted vectors,
    /// saved with its vector set, loaded back with identical predictions; the library reports
    /// through the callback.
    @Test func adaptSaveLoadPredictsTheSame() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let store = try VectorStore(path: path)
        let base = try store.loadIndex()
        let (source, target) = Self.data()
        let events = Mutex<[ProgressEvent]>([])
        let adapter = DomainAdapter(options: Self.options(.embeddingsSelfTrain), progress: { e in events.withLock { $0.append(e) } })
        let result = try adapter.adapt(base: base, source: source, target: target.texts)
        let vectors = try #require(result.vectors)
        #expect(vectors.corpusRows > 0 && vectors.index.count >= base.count)
        #expect(result.head.model.config.features.storeCount == vectors.index.count)
        #expect(events.withLock { $0.contains { $0.kind == .log && ($0.message ?? "").contains("pseudo-labels") } })
        #expect(events.withLock { $0.contains { $0.stage.hasPrefix("iter") } })  // the Mittens run's stages
        #expect(result.head.evaluate(target).accuracy > 0.8)

        let version = try result.save(name: "movie", to: path)
        #expect(version == 1)
        let reopened = try VectorStore(path: path)
        let entry = try HeadStore.find(name: "movie", store: reopened)
        let setName = try #require(entry.vectorSet)
        #expect(setName == AdaptedVectors.defaultSetName(for: vectors.settings))
        #expect(entry.provenance?.method == .embeddingsSelfTrain)
        #expect(entry.provenance?.target.documents == target.count)
        #expect(entry.provenance?.settings["mittens.window"] == "50")
        let loaded = try HeadStore.load(name: "movie", store: reopened)
        #expect(loaded.probabilities(target.texts) == result.head.probabilities(target.texts))
        // The index-taking load reads the head's set, not the store's vectors it is given.
        let viaIndex = try HeadStore.load(name: "movie", store: reopened, index: base)
        #expect(viaIndex.probabilities(target.texts) == result.head.probabilities(target.texts))
        // The set reads back as the same vectors.
        let back = try AdaptedVectors.load(set: setName, from: reopened)
        #expect(back.index.words == vectors.index.words)
        #expect(back.corpusRows == vectors.corpusRows)
        #expect(back.mismatches(with: vectors.settings).isEmpty)
        #expect(try VectorSets.list(reopened).map(\.name) == [setName])
        // A head over a set makes the store at least version 2: older readers refuse it instead
        // of loading the head over the wrong vectors.
        let setsVersion = max(StoreSchema.baseFormatVersion, StoreSchema.vectorSetsVersion)
        #expect(try reopened.database.pragmaInt("user_version") == setsVersion)
        #expect(reopened.meta[MetaKey.formatVersion] == String(setsVersion))
    }

    /// The adapter's Mittens run on 2 threads repeats bit for bit for one seed (so a benchmark
    /// that rebuilds the vectors per seed measures their spread, not thread timing), and the
    /// seed of the run reaches Mittens: another seed gives other vectors.
    @Test func mittensOnTwoThreadsRepeatsForASeedAndFollowsIt() throws {
        let dir = TestData.scratchDirectory()
        let base = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let (source, target) = Self.data()
        var o = Self.options(.embeddingsSelfTrain)
        o.threads = 2
        o.mittens.threads = 2
        let a = try DomainAdapter(options: o).buildVectors(base: base, source: source, target: target.texts)
        let b = try DomainAdapter(options: o).buildVectors(base: base, source: source, target: target.texts)
        #expect(a.settings[AdaptedVectors.Key.threads] == "2")
        #expect(a.index.words == b.index.words && a.corpusRows == b.corpusRows && a.corpusRows > 0)
        let same = (0..<a.index.count).allSatisfy { r in zip(a.index.vector(r), b.index.vector(r)).allSatisfy { $0.bitPattern == $1.bitPattern } }
        #expect(same)
        o.seed = 6
        let c = try DomainAdapter(options: o).buildVectors(base: base, source: source, target: target.texts)
        #expect(c.settings[AdaptedVectors.Key.seed] == "6")
        #expect((0..<a.corpusRows).contains { r in a.index.vector(r) != c.index.vector(r) })
    }

    @Test func reusedVectorsAreReferencedAndMismatchesAreRefused() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let base = try VectorStore(path: path).loadIndex()
        let (source, target) = Self.data()
        let adapter = DomainAdapter(options: Self.options(.embeddingsSelfTrain))
        try adapter.adapt(base: base, source: source, target: target.texts).save(name: "a", to: path, vectorSet: "movie-vectors")
        // Read back and reused: the second head refers to the same set, nothing is written twice.
        let saved = try AdaptedVectors.load(set: "movie-vectors", from: VectorStore(path: path))
        #expect(adapter.mismatches(of: saved, base: base, source: source, target: target.texts).isEmpty)
        try adapter.adapt(base: base, source: source, target: target.texts, vectors: saved).save(name: "b", to: path)
        #expect(try VectorSets.users(of: "movie-vectors", in: VectorStore(path: path)) == ["a v1", "b v1"])
        // Other Mittens settings: the check names the difference …
        var other = Self.options(.embeddingsSelfTrain)
        other.mittens.window = 7
        let otherAdapter = DomainAdapter(options: other)
        #expect(otherAdapter.mismatches(of: saved, base: base, source: source, target: target.texts) == ["window: 50 → 7"])
        #expect(!adapter.mismatches(of: saved, base: base, source: source, target: Array(target.texts.dropFirst())).isEmpty)
        // … and saving new vectors under the taken name is refused, also with replace while heads use it.
        let rebuilt = try otherAdapter.adapt(base: base, source: source, target: target.texts)
        #expect(throws: WordshiftError.self) { try rebuilt.save(name: "c", to: path, vectorSet: "movie-vectors") }
        #expect(throws: WordshiftError.self) { try rebuilt.save(name: "c", to: path, vectorSet: "movie-vectors", replaceVectorSet: true) }
        #expect(try HeadStore.list(VectorStore(path: path)).map(\.name) == ["a", "b"])
        #expect(throws: WordshiftError.self) { try VectorSets.remove("movie-vectors", from: path) }
    }

    @Test func vectorSetsRoundTripAndRemoval() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let store = try VectorStore(path: path)
        #expect(try store.database.pragmaInt("user_version") == StoreSchema.baseFormatVersion)
        let base = try store.loadIndex()
        // Extending the store: two own rows ("good" replaced, "novel" new), then the other store words.
        let extended = VectorSets.extending(base: base, words: ["good", "novel"], counts: [3, 2], vectors: [1, 0, 0, 0, 0, 2, 0, 0])
        #expect(extended.count == base.count + 1)
        #expect(Array(extended.words.prefix(3)) == ["good", "novel", "great"])
        let info = VectorSet(name: "ext", dimension: 4, storedRows: 2, extendsStore: true, settings: ["method": "test"])
        try VectorSets.save(extended, storedRows: 2, as: info, to: path)
        let full = VectorSet(name: "full", dimension: 4, storedRows: base.count, extendsStore: false, settings: [:])
        try VectorSets.save(base, as: full, to: path)
        let reopened = try VectorStore(path: path)
        for (name, want) in [("ext", extended), ("full", base)] {
            let got = try VectorSets.load(name, from: reopened)
            #expect(got.words == want.words)
            #expect((0..<got.count).allSatisfy { got.vector($0) == want.vector($0) })
        }
        #expect(throws: WordshiftError.self) { try VectorSets.save(base, as: full, to: path) }  // name taken
        try VectorSets.save(base, as: full, to: path, replace: true)
        try VectorSets.remove("full", from: path)
        #expect(try VectorSets.list(VectorStore(path: path)).map(\.name) == ["ext"])
        #expect(throws: WordshiftError.self) { try VectorSets.load("full", from: VectorStore(path: path)) }
        #expect(throws: WordshiftError.self) { try VectorSets.remove("full", from: path) }
    }

    /// A head whose vector set is gone (removed behind Wordshift's back) is a clear error, not a
    /// head silently loaded over the store's own vectors.
    @Test func headReferringToAMissingSetIsAnError() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let base = try VectorStore(path: path).loadIndex()
        let (source, target) = Self.data()
        try DomainAdapter(options: Self.options(.embeddings)).adapt(base: base, source: source, target: target.texts)
            .save(name: "m", to: path, vectorSet: "v")
        try StoreUpdate.run(path) { db in
            try db.execute("DELETE FROM vector_set_rows WHERE vector_set = 'v'; DELETE FROM vector_sets WHERE name = 'v'")
        }
        let store = try VectorStore(path: path)
        #expect { try HeadStore.load(name: "m", store: store) } throws: { e in
            "\(e)".contains("vector set \"v\"") && "\(e)".contains("does not hold")
        }
        #expect(throws: WordshiftError.self) { try HeadStore.load(name: "m", store: store, index: base) }
    }

    /// Every method gives a head that can be saved and loaded back over the right vectors.
    @Test func everyMethodSavesAUsableHead() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let base = try VectorStore(path: path).loadIndex()
        let (source, target) = Self.data()
        for method in AdaptationMethod.allCases {
            let r = try DomainAdapter(options: Self.options(method)).adapt(base: base, source: source, target: target.texts,
                                                                           targetLabeled: target.subset(Array(0..<10)))
            #expect(r.method != .auto && (method == .auto || r.method == method), "\(method)")
            #expect((r.vectors != nil) == (r.method == .embeddings || r.method == .embeddingsSelfTrain), "\(method)")
            #expect(r.notes.contains { $0.hasPrefix("few-shot K=10: ") }, "\(method)")
            // Each run built its own adapted vectors: each is its own set (auto may choose a method saved above).
            try r.save(name: method.rawValue, to: path, vectorSet: "vectors-\(method.rawValue)")
            let loaded = try HeadStore.load(name: method.rawValue, store: VectorStore(path: path))
            #expect(loaded.probabilities(target.texts) == r.head.probabilities(target.texts), "\(method)")
            #expect(r.provenance.targetLabeled?.documents == 10)
        }
    }

    /// CORAL folded into the output layer scores exactly as the transform applied to the features.
    @Test func foldedCoralEqualsTheTransform() throws {
        let dir = TestData.scratchDirectory()
        let base = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let (source, target) = Self.data()
        var cfg = ClassifyFixtures.config(base, threads: 1, epochs: 2)
        cfg.hidden = 0
        let head = try Classifier.train(index: base, train: source, config: cfg).head
        let m = head.model, d = m.dimension
        let fs = m.features(head.encode(source.texts), threads: 1), ft = m.features(head.encode(target.texts), threads: 1)
        let coral = Coral(source: ft, target: fs, dimension: d, lambda: 0.05)
        let moved = coral.apply(ft)
        var expected: [Float] = []
        let z = UnsafeMutablePointer<Float>.allocate(capacity: m.width), out = UnsafeMutablePointer<Float>.allocate(capacity: m.labelCount)
        defer { z.deallocate(); out.deallocate() }
        moved.withUnsafeBufferPointer { f in
            guard let p = f.baseAddress else { return }
            for i in 0..<target.count {
                m.probabilities(x: p + i * d, z: z, out: out)
                expected += (0..<m.labelCount).map { out[$0] }
            }
        }
        head.foldCoral(coral)
        let got = head.probabilities(target.texts, threads: 1)
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func badInputIsRefusedBeforeWork() throws {
        let dir = TestData.scratchDirectory()
        let base = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let (source, target) = Self.data()
        let adapter = DomainAdapter(options: Self.options(.embeddingsSelfTrain))
        let oneClass = source.subset((0..<source.count).filter { source.labelIDs[$0] == 0 })
        #expect(throws: WordshiftError.self) { try adapter.adapt(base: base, source: oneClass, target: target.texts) }
        #expect(throws: WordshiftError.self) { try adapter.adapt(base: base, source: source, target: []) }
        // A target with no word of the store and too few words for Mittens.
        #expect(throws: WordshiftError.self) { try adapter.adapt(base: base, source: source, target: ["zzz"]) }
        for method in [AdaptationMethod.sourceOnly, .auto] {
            #expect { try DomainAdapter(options: Self.options(method)).adapt(base: base, source: source, target: ["zzz qqq", "xyzzy"]) }
                throws: { "\($0)".contains("none of its 2 documents has a word of the store") }
        }
        var coralHidden = Self.options(.coral)
        coralHidden.hidden = 4
        #expect(throws: WordshiftError.self) {
            try DomainAdapter(options: coralHidden).adapt(base: base, source: source, target: target.texts)
        }
    }

    @Test func comparisonRowsComeFromAdapterCallsAndTheTitleFromTheData() throws {
        let dir = TestData.scratchDirectory()
        let base = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let (source, target) = Self.data()
        var options = AdaptationComparison.Options()
        options.adapter = Self.options(.sourceOnly)
        options.adapter.transfer.selfTrainFractions = [0.3]
        options.shots = [0, 20]
        let data = AdaptationComparison.Data(source: source, sourceNames: ["data/restaurants.tsv"], target: target.texts,
                                             targetName: "data/movies.txt.gz", targetLabeled: target,
                                             tests: [LabeledDataset(labels: target.labels, texts: target.texts, labelIDs: target.labelIDs, source: "imdb-test.tsv")])
        let report = try AdaptationComparison(options: options).run(base: base, data: data)
        #expect(report.rows.map(\.name) == ["source-only", "embeddings", "embeddings + self-train", "self-train", "coral", "adversarial",
                                            "auto", "few-shot K=0", "few-shot K=20", "in-domain (upper bound)", "in-domain, adapted vectors"])
        #expect(report.rows.map(\.kind).filter { $0 == .upperBound }.count == 2)
        #expect(report.title == "restaurants → movies: accuracy on imdb-test")
        #expect(report.svg().contains(">restaurants → movies: accuracy on imdb-test</text>"))
        #expect(report.rows.first?.scores.first?.gapClosed == 0)
        // The auto row repeats the row of the method chosen by reverse validation, and the few-shot
        // rows start from that head (K = 0 is it).
        let auto = try #require(report.rows.first { $0.name == "auto" })
        let decision = try #require(report.autoDecision)
        #expect(report.notes.contains(decision.summary))
        #expect(decision.sourceOnlyScores.count == options.adapter.autoReplicates)
        #expect(decision.verdicts.map(\.method) == options.adapter.autoCandidates)
        let chosenRow = try #require(report.rows.first { $0.kind != .fewShot && $0.name != "auto" && $0.method == decision.choice })
        #expect(auto.scores.map(\.accuracy) == chosenRow.scores.map(\.accuracy))
        #expect(report.rows.first { $0.name == "few-shot K=0" }?.scores.map(\.accuracy) == chosenRow.scores.map(\.accuracy))
        #expect(report.notes.contains { $0.hasPrefix("few-shot K=20 from \(chosenRow.name): ") })
        #expect(throws: WordshiftError.self) {
            try AdaptationComparison(options: options).run(base: base, data: AdaptationComparison.Data(
                source: source, sourceNames: ["s"], target: target.texts, targetName: "t", tests: []))
        }
    }
}
