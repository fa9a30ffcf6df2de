import Testing
@testable import Wordshift

@Suite struct ClassifyAdaptationEstimateTests {
    static func reverse(_ f1: Double) -> AdaptationEstimate.Reverse {
        AdaptationEstimate.Reverse(macroF1: f1, accuracy: f1, targetShares: [0.5, 0.5], documents: 10)
    }

    /// The auto rule: the best score wins, but never a method scored below source-only, and a
    /// tie (within the margin) keeps source-only.
    @Test func choiceNeverFallsBelowSourceOnly() {
        let r = Self.reverse
        #expect(AdaptationEstimate.choose([(.sourceOnly, r(0.80)), (.embeddings, r(0.85)), (.coral, r(0.83))]) == .embeddings)
        #expect(AdaptationEstimate.choose([(.sourceOnly, r(0.80)), (.embeddings, r(0.79)), (.coral, r(0.70))]) == .sourceOnly)
        #expect(AdaptationEstimate.choose([(.sourceOnly, r(0.80)), (.embeddings, r(0.801))]) == .sourceOnly)
        // Source-only listed late still sets the floor.
        #expect(AdaptationEstimate.choose([(.coral, r(0.40)), (.adversarial, r(0.45)), (.sourceOnly, r(0.41))]) == .adversarial)
        #expect(AdaptationEstimate.choose([(.coral, r(0.40)), (.sourceOnly, r(0.41))]) == .sourceOnly)
        #expect(AdaptationEstimate.choose([]) == .sourceOnly)
    }

    /// Reverse validation tells a head that labels the target text right from one that labels it
    /// backwards, and scores a head that gives every document one label as 0; it reads no target label.
    @Test func reverseValidationRanksGoodLabelsAboveBadOnes() throws {
        let dir = TestData.scratchDirectory()
        let base = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let source = ClassifyFixtures.toyData(200)
        let target = ClassifyFixtures.toyData(160, seed: 9).texts
        let cfg = ClassifyFixtures.config(base, epochs: 5)
        let good = try Classifier.train(index: base, train: source, config: cfg).head
        let flipped = LabeledDataset(labels: source.labels, texts: source.texts, labelIDs: source.labelIDs.map { 1 - $0 }, source: "flipped")
        let bad = try Classifier.train(index: base, train: flipped, config: cfg).head
        let g = try AdaptationEstimate.reverseValidation(of: good, target: target, source: source, index: base, config: cfg)
        let b = try AdaptationEstimate.reverseValidation(of: bad, target: target, source: source, index: base, config: cfg)
        #expect(g.macroF1 > 0.9)
        #expect(b.macroF1 < 0.2)
        #expect(g.documents == target.count && abs(g.targetShares.reduce(0, +) - 1) < 1e-9)
        // Every document one label: nothing to learn, score 0.
        let oneClass = try Classifier.train(index: base, train: source, config: cfg).head
        oneClass.model.b2[0] += 1000
        let o = try AdaptationEstimate.reverseValidation(of: oneClass, target: target, source: source, index: base, config: cfg)
        #expect(o.macroF1 == 0 && o.targetShares[0] == 1)
        #expect(throws: WordshiftError.self) {
            try AdaptationEstimate.reverseValidation(of: good, target: [], source: source, index: base, config: cfg)
        }
        // The sample is seeded, in text order, and all of a short text.
        let long = (0..<50).map { "doc \($0)" }
        let s1 = AdaptationEstimate.sample(long, limit: 10, seed: 3)
        #expect(s1 == AdaptationEstimate.sample(long, limit: 10, seed: 3) && s1.count == 10)
        #expect(s1 == s1.sorted { (Int($0.dropFirst(4)) ?? 0) < (Int($1.dropFirst(4)) ?? 0) })
        #expect(AdaptationEstimate.sample(long, limit: 100, seed: 3) == long)
    }

    /// `--method auto` end to end: it reports every candidate's estimate, keeps one that is not
    /// below source-only, records the choice in the provenance, and the saved head is that head.
    @Test func autoChoosesByTheEstimateAndRecordsIt() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let base = try VectorStore(path: path).loadIndex()
        let (source, target) = ClassifyDomainAdapterTests.data()
        var o = ClassifyDomainAdapterTests.options(.auto)
        o.autoCandidates = [.embeddingsSelfTrain, .coral]
        let r = try DomainAdapter(options: o).adapt(base: base, source: source, target: target.texts)
        #expect(r.estimates.map(\.method) == [.sourceOnly, .embeddingsSelfTrain, .coral])
        let floor = try #require(r.estimates.first).reverse.macroF1
        let chosen = try #require(r.estimates.first { $0.method == r.method })
        #expect(chosen.reverse.macroF1 >= floor)
        #expect(r.method == AdaptationEstimate.choose(r.estimates.map { ($0.method, $0.reverse) }))
        #expect(r.notes.contains("auto: chose \(r.method.title) (highest reverse-validation macro-F1; a method below source-only is never chosen)"))
        #expect(r.provenance.settings["method"] == "auto" && r.provenance.settings["chosen_method"] == r.method.rawValue)
        try r.save(name: "auto", to: path)
        let entry = try HeadStore.find(name: "auto", store: VectorStore(path: path))
        #expect(entry.provenance?.method == r.method)
        #expect(try HeadStore.load(name: "auto", store: VectorStore(path: path)).probabilities(target.texts) == r.head.probabilities(target.texts))
    }
}
