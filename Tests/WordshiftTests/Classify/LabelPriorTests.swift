import Foundation
import Testing
@testable import Wordshift

@Suite struct ClassifyLabelPriorTests {
    /// Two 1-d Gaussian classes, x | y ~ N(±1, 1): the exact posterior under prior π is
    /// π₁ e^{x} / (π₁ e^{x} + π₀ e^{−x}). Samples drawn with `truth`, posteriors computed as a
    /// head trained with `trained` would give them.
    static func posteriors(n: Int, truth: Double, trained: Double, seed: UInt64) -> (p: [Float], labels: [Int]) {
        var rng = SeededRandom(seed: seed)
        var p: [Float] = [], labels: [Int] = []
        for _ in 0..<n {
            let y = Double(rng.nextUnitFloat()) < truth ? 1 : 0
            // Box–Muller from two uniforms in (0, 1].
            let u1 = max(Double(rng.nextUnitFloat()), 1e-9), u2 = Double(rng.nextUnitFloat())
            let x = (y == 1 ? 1.0 : -1.0) + (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            let a = trained * exp(x), b = (1 - trained) * exp(-x)
            p += [Float(b / (a + b)), Float(a / (a + b))]
            labels.append(y)
        }
        return (p, labels)
    }

    @Test(arguments: [(0.75, 0.5), (0.25, 0.5), (0.75, 0.3), (0.5, 0.65)])
    func emRecoversAKnownPrior(truth: Double, trained: Double) {
        let (p, labels) = Self.posteriors(n: 20_000, truth: truth, trained: trained, seed: 11)
        let drawn = Double(labels.reduce(0, +)) / Double(labels.count)
        let estimate = LabelPrior.estimate(probabilities: p, classes: 2, trainingPrior: [1 - trained, trained])
        #expect(abs(estimate[1] - drawn) < 0.02, "estimated \(estimate[1]), drawn \(drawn)")
        #expect(abs(estimate.reduce(0, +) - 1) < 1e-9)
        // The mean posterior alone is biased toward the training prior; EM removes that bias.
        if abs(truth - trained) > 0.2 {
            let mean = (0..<labels.count).reduce(0.0) { $0 + Double(p[$1 * 2 + 1]) } / Double(labels.count)
            #expect(abs(mean - drawn) > abs(estimate[1] - drawn) + 0.03, "mean posterior \(mean)")
        }
    }

    @Test func emRecoversThreeClassPriors() {
        // Three classes on a line, x | y ~ N(μ_y, 1) with μ = −2, 0, 2; posteriors under a uniform prior.
        var rng = SeededRandom(seed: 5)
        let truth = [0.6, 0.3, 0.1], mu = [-2.0, 0, 2]
        var p: [Float] = [], counts = [0, 0, 0]
        for _ in 0..<30_000 {
            let u = Double(rng.nextUnitFloat())
            let y = u < truth[0] ? 0 : (u < truth[0] + truth[1] ? 1 : 2)
            counts[y] += 1
            let u1 = max(Double(rng.nextUnitFloat()), 1e-9), u2 = Double(rng.nextUnitFloat())
            let x = mu[y] + (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            let l = mu.map { exp(-(x - $0) * (x - $0) / 2) }
            let s = l.reduce(0, +)
            p += l.map { Float($0 / s) }
        }
        let estimate = LabelPrior.estimate(probabilities: p, classes: 3, trainingPrior: LabelPrior.uniform(3))
        for c in 0..<3 {
            let drawn = Double(counts[c]) / 30_000
            #expect(abs(estimate[c] - drawn) < 0.02, "class \(c): \(estimate[c]) vs \(drawn)")
        }
    }

    @Test func adjustIsBayesRuleAndInvertible() {
        let (p, _) = Self.posteriors(n: 200, truth: 0.5, trained: 0.5, seed: 3)
        let moved = LabelPrior.adjust(probabilities: p, classes: 2, from: [0.5, 0.5], to: [0.2, 0.8])
        let exact = Self.posteriors(n: 200, truth: 0.5, trained: 0.8, seed: 3).p
        #expect(zip(moved, exact).allSatisfy { abs($0 - $1) < 1e-5 })
        let back = LabelPrior.adjust(probabilities: moved, classes: 2, from: [0.2, 0.8], to: [0.5, 0.5])
        #expect(zip(back, p).allSatisfy { abs($0 - $1) < 1e-5 })
        // Mismatched sizes leave the probabilities as they are.
        #expect(LabelPrior.adjust(probabilities: p, classes: 2, from: [1], to: [0.5, 0.5]) == p)
    }

    @Test func degenerateInputsFallBack() {
        #expect(LabelPrior.estimate(probabilities: [], classes: 2, trainingPrior: [0.3, 0.7]) == [0.3, 0.7])
        #expect(LabelPrior.estimate(probabilities: [0.5, 0.5, 0.5], classes: 2, trainingPrior: [0.5, 0.5]) == [0.5, 0.5])
        #expect(LabelPrior.normalised([.nan, -1, 0]) == LabelPrior.uniform(3))
        #expect(LabelPrior.quotas([0.75, 0.25], total: 10) == [8, 2] || LabelPrior.quotas([0.75, 0.25], total: 10) == [7, 3])
        #expect(LabelPrior.quotas([0.5, 0.3, 0.2], total: 7).reduce(0, +) == 7)
        #expect(LabelPrior.quotas([0.6, 0.4], total: 0) == [0, 0])
    }

    /// Overconfident posteriors (logits × 3) are calibrated back by a temperature near 3.
    @Test func temperatureUndoesOverconfidence() {
        let (p, labels) = Self.posteriors(n: 5000, truth: 0.5, trained: 0.5, seed: 8)
        let sharp = LabelPrior.scaled(probabilities: p, classes: 2, temperature: 1.0 / 3)
        let t = LabelPrior.temperature(probabilities: sharp, classes: 2, gold: labels)
        #expect(abs(t - 3) < 0.3, "temperature \(t)")
        let calibrated = LabelPrior.scaled(probabilities: sharp, classes: 2, temperature: t)
        #expect(zip(calibrated, p).map { abs($0 - $1) }.max() ?? 1 < 0.05)
    }

    /// On an imbalanced target (75% positive) pseudo-labels follow the estimated prior, not a
    /// median cut; told the target is balanced, they split half and half. The head's
    /// probabilities are calibrated first (temperature on held-out labeled source data), as EM needs.
    @Test func pseudoLabelsFollowAnImbalancedTarget() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let cfg = ClassifyFixtures.config(index, threads: 1, epochs: 10)
        let head = try Classifier.train(index: index, train: ClassifyFixtures.toyData(400), config: cfg).head
        let held = ClassifyFixtures.toyData(200, seed: 4)
        let t = LabelPrior.temperature(probabilities: head.probabilities(held.texts, threads: 1), classes: 2, gold: held.labelIDs)
        let scorer: EmbeddingAdaptation.Scorer = { LabelPrior.scaled(probabilities: head.probabilities($0, threads: 1), classes: 2, temperature: t) }
        let all = ClassifyFixtures.toyData(600, seed: 21)
        let target = all.subset((0..<all.count).filter { all.labelIDs[$0] == 1 || $0 % 3 == 0 })
        let truth = Double(target.labelCounts[1]) / Double(target.count)
        #expect(abs(truth - 0.75) < 0.01)
        let result = try EmbeddingAdaptation.ensemblePseudoLabels(scorers: [scorer], labels: head.labels, target: target.texts, fraction: 1,
                                                                  estimatePrior: true)
        // Without a prior and without estimating, the target is taken as balanced.
        let plain = try EmbeddingAdaptation.ensemblePseudoLabels(scorers: [scorer], labels: head.labels, target: target.texts, fraction: 1)
        #expect(!plain.estimated && plain.prior == [0.5, 0.5])
        #expect(result.estimated)
        #expect(abs(result.prior[1] - truth) < 0.05, "estimated \(result.prior[1]), true \(truth), temperature \(t)")
        let counts = result.data.labelCounts
        #expect(abs(Double(counts[1]) / Double(target.count) - truth) < 0.05, "\(counts)")
        let balanced = try EmbeddingAdaptation.ensemblePseudoLabels(scorers: [scorer], labels: head.labels, target: target.texts,
                                                                    fraction: 1, prior: [1, 1])
        #expect(!balanced.estimated && balanced.data.labelCounts == [target.count / 2, target.count - target.count / 2])
        #expect(throws: WordshiftError.self) {
            try EmbeddingAdaptation.ensemblePseudoLabels(scorers: [scorer], labels: head.labels, target: target.texts, fraction: 1,
                                                         prior: [1, 1, 1])
        }
    }

    @Test func shiftPriorMovesTheHeadsProbabilities() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let cfg = ClassifyFixtures.config(index, threads: 1, epochs: 2)
        let head = try Classifier.train(index: index, train: ClassifyFixtures.toyData(100), config: cfg).head
        let texts = ClassifyFixtures.toyData(40, seed: 9).texts
        let before = head.probabilities(texts, threads: 1)
        try head.shiftPrior(from: [0.5, 0.5], to: [0.1, 0.9])
        let after = head.probabilities(texts, threads: 1)
        let expected = LabelPrior.adjust(probabilities: before, classes: 2, from: [0.5, 0.5], to: [0.1, 0.9])
        #expect(zip(after, expected).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(throws: WordshiftError.self) { try head.shiftPrior(from: [1], to: [0.5, 0.5]) }
    }

    /// The margin mixture recovers the share of the upper component of two Gaussians with
    /// different spreads, whichever order the values come in; degenerate inputs give 0.5.
    @Test func mixtureShareRecoversTheUpperComponent() {
        var rng = SeededRandom(seed: 11)
        func normal(_ mean: Double, _ sd: Double) -> Double {
            let u1 = max(Double.random(in: 0..<1, using: &rng), 1e-12), u2 = Double.random(in: 0..<1, using: &rng)
            return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        for share in [0.25, 0.5, 0.75] {
            let upper = Int(4000 * share)
            var values = (0..<upper).map { _ in normal(2, 1.3) } + (0..<(4000 - upper)).map { _ in normal(-2, 0.8) }
            values.shuffle(using: &rng)
            let got = LabelPrior.mixtureShare(values)
            #expect(abs(got - share) < 0.03, "share \(share): estimated \(got)")
        }
        #expect(LabelPrior.mixtureShare([1, 2]) == 0.5)
        #expect(LabelPrior.mixtureShare([3, 3, 3, 3, 3]) == 0.5)
        #expect(LabelPrior.mixtureShare([.nan, .infinity, 1]) == 0.5)
    }

    /// Ensemble pseudo-labels with the margin mixture follow a 75/25 toy target, and both
    /// label-free estimates are reported whatever prior was used.
    @Test func ensembleWithTheMixturePriorFollowsAnImbalancedTarget() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let head = try Classifier.train(index: index, train: ClassifyFixtures.toyData(400), config: ClassifyFixtures.config(index, threads: 1)).head
        let all = ClassifyFixtures.toyData(800, seed: 23)
        let target = all.subset((0..<all.count).filter { all.labelIDs[$0] == 1 || $0 % 3 == 0 })
        let truth = Double(target.labelCounts[1]) / Double(target.count)
        let scorer: EmbeddingAdaptation.Scorer = { head.probabilities($0, threads: 1) }
        let r = try EmbeddingAdaptation.ensemblePseudoLabels(scorers: [scorer], labels: head.labels, target: target.texts, fraction: 1, mixture: true)
        #expect(r.estimated)
        let mixture = try #require(r.mixturePrior)
        #expect(r.prior == mixture && abs(mixture[1] - truth) < 0.05, "mixture \(mixture), true \(truth)")
        #expect(r.emPrior.count == 2)
        let balanced = try EmbeddingAdaptation.ensemblePseudoLabels(scorers: [scorer], labels: head.labels, target: target.texts, fraction: 1)
        #expect(!balanced.estimated && balanced.prior == [0.5, 0.5] && balanced.mixturePrior == mixture)
    }

    /// Confusion correction inverts q = C·π exactly, for two and three classes; a chance-level
    /// head (singular C) gives the shares back, and a negative solution is clipped.
    @Test func confusionCorrectionInvertsTheConfusionRates() {
        let c2 = [[0.9, 0.2], [0.1, 0.8]]          // C[predicted][true]
        let q2 = [0.9 * 0.3 + 0.2 * 0.7, 0.1 * 0.3 + 0.8 * 0.7]
        let p2 = LabelPrior.confusionCorrected(predictedShares: q2, confusion: c2)
        #expect(abs(p2[0] - 0.3) < 1e-9 && abs(p2[1] - 0.7) < 1e-9, "\(p2)")
        let c3 = [[0.8, 0.1, 0.0], [0.15, 0.7, 0.2], [0.05, 0.2, 0.8]], truth = [0.6, 0.3, 0.1]
        let q3 = (0..<3).map { r in (0..<3).reduce(0.0) { $0 + c3[r][$1] * truth[$1] } }
        let p3 = LabelPrior.confusionCorrected(predictedShares: q3, confusion: c3)
        #expect(zip(p3, truth).allSatisfy { abs($0 - $1) < 1e-9 }, "\(p3)")
        #expect(LabelPrior.confusionCorrected(predictedShares: [0.6, 0.4], confusion: [[0.5, 0.5], [0.5, 0.5]]) == [0.6, 0.4])
        // Shares beyond what the error rates allow (more predicted positives than even an all-positive target gives).
        #expect(LabelPrior.confusionCorrected(predictedShares: [0.05, 0.95], confusion: c2) == [0, 1])
        #expect(LabelPrior.confusionCorrected(predictedShares: [0.5, 0.5], confusion: [[1]]) == [0.5, 0.5])
    }

    /// The confusion-corrected estimate on a 75/25 toy target lands near the truth, and is
    /// exactly what its own shares and confusion rates give.
    @Test func targetPriorFollowsAnImbalancedTarget() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let all = ClassifyFixtures.toyData(800, seed: 23)
        let target = all.subset((0..<all.count).filter { all.labelIDs[$0] == 1 || $0 % 3 == 0 })
        let truth = Double(target.labelCounts[1]) / Double(target.count)
        let estimate = try TargetPrior.estimate(source: ClassifyFixtures.toyData(400), target: target.texts, index: index,
                                                config: ClassifyFixtures.config(index, threads: 1))
        // Every source document is labeled once, by the fold head that did not see it.
        #expect(estimate.labels == ["neg", "pos"] && estimate.targetDocuments == target.count && estimate.heldOut == 400)
        #expect(estimate.folds == TargetPrior.defaultFolds && estimate.foldShares.count == TargetPrior.defaultFolds)
        #expect(estimate.sourceHeadShares == nil && estimate.sourceHeadPrior == nil)
        #expect(abs(estimate.prior[1] - truth) < 0.05, "estimated \(estimate.prior), true \(truth)")
        #expect(estimate.prior == LabelPrior.confusionCorrected(predictedShares: estimate.predictedShares, confusion: estimate.confusion))
        #expect(estimate.confusion.allSatisfy { $0.count == 2 } && abs(estimate.confusion[0][0] + estimate.confusion[1][0] - 1) < 1e-9)
        #expect(estimate.summary.contains("source documents they did not see"))
        // With the head trained on all of the source data, its own shares go through the same rates.
        let sourceHead = try Classifier.train(index: index, train: ClassifyFixtures.toyData(400), config: ClassifyFixtures.config(index, threads: 1)).head
        let both = try TargetPrior.estimate(source: ClassifyFixtures.toyData(400), target: target.texts, index: index,
                                            config: ClassifyFixtures.config(index, threads: 1), sourceHead: sourceHead)
        let shares = try #require(both.sourceHeadShares), prior = try #require(both.sourceHeadPrior)
        #expect(prior == LabelPrior.confusionCorrected(predictedShares: shares, confusion: both.confusion))
        #expect(abs(prior[1] - truth) < 0.05 && both.prior == estimate.prior, "\(prior), true \(truth)")
        #expect(throws: WordshiftError.self) {
            try TargetPrior.estimate(source: ClassifyFixtures.toyData(400), target: target.texts, index: index,
                                     config: ClassifyFixtures.config(index), folds: 1)
        }
        #expect(throws: WordshiftError.self) {
            try TargetPrior.estimate(source: ClassifyFixtures.toyData(400), target: [], index: index, config: ClassifyFixtures.config(index))
        }
    }

    /// Self-training rounds with a prior give each class its share of the round, not an equal one.
    @Test func confidentPredictionsFollowAGivenPrior() throws {
        let dir = TestData.scratchDirectory()
        let index = try VectorStore(path: try ClassifyFixtures.store(in: dir)).loadIndex()
        let head = try Classifier.train(index: index, train: ClassifyFixtures.toyData(400), config: ClassifyFixtures.config(index, threads: 1)).head
        let texts = ClassifyFixtures.toyData(400, seed: 41).texts
        let equal = DomainAdaptation.confident(head, texts: texts, fraction: 0.5, threads: 1)
        #expect(equal.labelCounts == [100, 100])
        let skewed = DomainAdaptation.confident(head, texts: texts, fraction: 0.5, threads: 1, prior: [0.3, 0.7])
        #expect(skewed.labelCounts == [60, 140], "\(skewed.labelCounts)")
    }
}
