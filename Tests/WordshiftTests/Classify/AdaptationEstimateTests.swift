import Testing
@testable import Wordshift

@Suite struct ClassifyAdaptationEstimateTests {
    static func reverse(_ f1: Double) -> AdaptationEstimate.Reverse {
        AdaptationEstimate.Reverse(macroF1: f1, accuracy: f1, targetShares: [0.5, 0.5], documents: 10)
    }

    /// The auto rule: a candidate is vetoed only when it scores significantly below source-only
    /// (more than 2 sd of the source-only replicates, widened by √(1 + 1/n)); among the others the
    /// first in preference order wins, even when source-only or a later candidate scores higher.
    @Test func autoVetoesOnlySignificantlyWorseMethodsAndFollowsThePreference() {
        let r = Self.reverse
        let so = [0.80, 0.82, 0.81, 0.79, 0.83].map(r)  // mean 0.81, sd 0.0158, margin 0.0346
        var d = AdaptationEstimate.decide(candidates: [(.embeddings, r(0.70)), (.embeddingsSelfTrain, r(0.79)), (.selfTrain, r(0.85))],
                                          sourceOnly: so)
        #expect(abs(d.sourceOnlyMean - 0.81) < 1e-12 && abs(d.noise - 0.0158114) < 1e-6)
        #expect(abs(d.margin - 2 * 0.0158114 * (1.2).squareRoot()) < 1e-6)
        #expect(d.choice == .embeddingsSelfTrain)  // below source-only's mean, inside the noise, first not vetoed
        #expect(d.verdicts.map(\.predictedToHurt) == [true, false, false])
        #expect(d.verdicts.map(\.method) == [.embeddings, .embeddingsSelfTrain, .selfTrain])
        #expect(abs(d.verdicts[1].difference + 0.02) < 1e-12)
        // Just outside the margin: vetoed; every candidate vetoed: source-only.
        d = AdaptationEstimate.decide(candidates: [(.embeddingsSelfTrain, r(0.81 - 0.035)), (.coral, r(0.60))], sourceOnly: so)
        #expect(d.choice == .sourceOnly && d.verdicts.allSatisfy(\.predictedToHurt))
        // One replicate: no noise estimate, anything below source-only is vetoed, a tie is not.
        d = AdaptationEstimate.decide(candidates: [(.embeddings, r(0.799)), (.selfTrain, r(0.80))], sourceOnly: [r(0.80)])
        #expect(d.noise == 0 && d.margin == 0 && d.choice == .selfTrain)
        // A head that gave every document one label scores 0 and is vetoed whatever the noise.
        d = AdaptationEstimate.decide(candidates: [(.adversarial, r(0)), (.coral, r(0.5))], sourceOnly: [r(0.1), r(0.9)], deviations: 100)
        #expect(d.choice == .coral && d.verdicts.first?.predictedToHurt == true)
        // Source-only and auto in the list are skipped; without source-only scores nothing is chosen.
        d = AdaptationEstimate.decide(candidates: [(.sourceOnly, r(0.9)), (.auto, r(0.9)), (.coral, r(0.9))], sourceOnly: [])
        #expect(d.choice == .sourceOnly && d.verdicts.map(\.method) == [.coral])
        #expect(AdaptationEstimate.decide(candidates: [], sourceOnly: so).choice == .sourceOnly)
        #expect(d.summary.hasPrefix("auto: chose source-only — first in preference order not predicted to hurt"))
        // A candidate scored by several reverse heads: their mean, every draw kept and shown.
        let m = AdaptationEstimate.Reverse.mean(of: [AdaptationEstimate.Reverse(macroF1: 0.84, accuracy: 0.8, targetShares: [0.4, 0.6], documents: 10),
                                                     AdaptationEstimate.Reverse(macroF1: 0.74, accuracy: 0.7, targetShares: [0.6, 0.4], documents: 10)])
        #expect(abs(m.macroF1 - 0.79) < 1e-12 && abs(m.accuracy - 0.75) < 1e-12 && m.targetShares == [0.5, 0.5] && m.draws == [0.84, 0.74])
        #expect(AdaptationEstimate.Reverse.mean(of: [r(0.8)]) == r(0.8) && AdaptationEstimate.Reverse.mean(of: []).macroF1 == 0)
        d = AdaptationEstimate.decide(candidates: [(.embeddingsSelfTrain, m)], sourceOnly: so)
        #expect(d.verdicts.first?.draws == [0.84, 0.74] && d.choice == .embeddingsSelfTrain)
        #expect(d.summary.contains("mean of 2 reverse heads, 74.0%–84.0%"))
        // Replicate seeds: 0 is the run's own, the others differ from it and from each other.
        let seeds = (0..<5).map { AdaptationEstimate.replicateSeed(3, $0) }
        #expect(seeds[0] == 3 && Set(seeds).count == 5)
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

    /// `--method auto` end to end: it reports every candidate's estimate and the decision (source-only
    /// over the replicate head seeds), keeps a candidate not predicted to hurt, records the choice
    /// in the provenance, and the saved head is that head.
    @Test func autoChoosesByTheEstimateAndRecordsIt() throws {
        let dir = TestData.scratchDirectory()
        let path = try ClassifyFixtures.store(in: dir)
        let base = try VectorStore(path: path).loadIndex()
        let (source, target) = ClassifyDomainAdapterTests.data()
        var o = ClassifyDomainAdapterTests.options(.auto)
        o.autoCandidates = [.embeddingsSelfTrain, .coral]
        o.autoReplicates = 3
        let r = try DomainAdapter(options: o).adapt(base: base, source: source, target: target.texts)
        #expect(r.estimates.map(\.method) == [.sourceOnly, .embeddingsSelfTrain, .coral])
        // `auto` hands its source-only candidate to the prior estimate instead of training it
        // twice: the estimate is the one `estimatePrior` makes on its own.
        let alone = try DomainAdapter(options: o).estimatePrior(base: base, source: source, target: target.texts)
        #expect(r.targetPrior == alone)
        #expect(alone.sourceHeadShares != nil, "the source-only head's shares are part of the estimate")
        let d = try #require(r.decision)
        #expect(d.sourceOnlyScores.count == 3 && d.sourceOnlyScores.first == r.estimates.first?.reverse.macroF1)
        #expect(d.verdicts.map(\.method) == [.embeddingsSelfTrain, .coral])
        let expected = AdaptationEstimate.decide(candidates: r.estimates.dropFirst().map { ($0.method, $0.reverse) },
                                                 sourceOnly: d.sourceOnlyScores.map { AdaptationEstimate.Reverse(macroF1: $0, accuracy: 0, targetShares: [], documents: 0) })
        #expect(r.method == d.choice && d.choice == expected.choice && d.margin == expected.margin)
        #expect(r.method == .sourceOnly || d.verdicts.first { $0.method == r.method }?.predictedToHurt == false)
        // Source-only's own score is one reverse head; every candidate's is the mean of 3 (the
        // replicate count), the first of them the reverse head a single call with the run's seed gives.
        #expect(r.estimates.first?.reverse.draws == nil)
        for e in r.estimates.dropFirst() {
            let draws = try #require(e.reverse.draws)
            #expect(draws.count == 3 && abs(e.reverse.macroF1 - draws.reduce(0, +) / 3) < 1e-12)
        }
        if r.method != .sourceOnly, let mine = r.estimates.first(where: { $0.method == r.method }) {
            let single = try DomainAdapter(options: o).reverseValidation(r.head, base: base, source: source, target: target.texts)
            #expect(mine.reverse.draws?.first == single.macroF1)
        }
        #expect(r.notes.contains(d.summary))
        #expect(r.provenance.settings["method"] == "auto" && r.provenance.settings["chosen_method"] == r.method.rawValue)
        #expect(r.provenance.settings["auto.replicates"] == "3" && r.provenance.settings["auto.candidates"] == "embeddings+self-train,coral")
        try r.save(name: "auto", to: path)
        let entry = try HeadStore.find(name: "auto", store: VectorStore(path: path))
        #expect(entry.provenance?.method == r.method)
        #expect(try HeadStore.load(name: "auto", store: VectorStore(path: path)).probabilities(target.texts) == r.head.probabilities(target.texts))
        // The replicates are source-only heads at the replicate seeds, scored as the run scores its own.
        var one = o
        one.seed = AdaptationEstimate.replicateSeed(o.seed, 1)
        one.method = .sourceOnly
        one.threads = 1
        let again = try DomainAdapter(options: one).adapt(base: base, source: source, target: target.texts)
        #expect(again.estimates.first?.reverse.macroF1 == d.sourceOnlyScores[1])
        o.autoReplicates = 0
        #expect(throws: WordshiftError.self) { try DomainAdapter(options: o).adapt(base: base, source: source, target: target.texts) }
    }
}
