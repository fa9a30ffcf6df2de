/// Label-free estimates of how well a head carries over to a target domain, read from the
/// labeled source data and the unlabeled target text only (no target label).
///
/// **Reverse validation** (Zhong et al., ECML 2010): the head labels the target text; a fresh
/// reverse head, always of the same family (the full head over the store's vectors), learns from
/// those labels alone and is scored on the labeled source data, which it never saw. Labels that
/// carry real sentiment carry it back. Because every candidate is scored through the same
/// reverse head, the scores of different methods can be compared.
///
/// The score is biased and noisy. Biased: it rewards target labels that reproduce the source
/// boundary, and the source-only head's labels do that by construction (its family is the
/// reverse head's), so a method that really helps can score a little below source-only.
/// Noisy: the source-only score alone moves by about a point from one head seed to the next.
/// `--method auto` therefore uses it as a veto, not as a ranking (``decide(candidates:sourceOnly:deviations:)``):
/// a method counts as *predicted to hurt* only when it scores significantly below source-only —
/// more than ``hurtDeviations`` standard deviations of the source-only score, measured over
/// ``defaultReplicates`` head seeds — and the first candidate in the preference order that is not
/// predicted to hurt is chosen (BENCHMARKS §5: the order comes from the RT polarity dev set).
/// A candidate's own score is the mean over as many reverse heads (``Reverse/mean(of:)``): one
/// reverse head's draw can fall several points below the others (BENCHMARKS §5), and a single
/// low draw must not veto a method.
public enum AdaptationEstimate {
    /// One reverse-validation score.
    public struct Reverse: Sendable, Equatable, Codable {
        /// Macro-F1 of the reverse head on the labeled source data (0 when the head gave every
        /// target document the same label: nothing to learn from).
        public var macroF1: Double
        /// Accuracy of the reverse head on the labeled source data.
        public var accuracy: Double
        /// Share of the scored target documents the head gave each label (its label order).
        public var targetShares: [Double]
        /// Target documents the reverse head learned from.
        public var documents: Int
        /// Macro-F1 of each reverse head when this score is their mean (``mean(of:)``); nil for
        /// one reverse head.
        public var draws: [Double]?

        /// One score; `draws` only for a mean of several.
        public init(macroF1: Double, accuracy: Double, targetShares: [Double], documents: Int, draws: [Double]? = nil) {
            self.macroF1 = macroF1
            self.accuracy = accuracy
            self.targetShares = targetShares
            self.documents = documents
            self.draws = draws
        }

        /// The mean of several scores of one head (reverse heads and target samples drawn with
        /// different seeds): macro-F1, accuracy and label shares averaged, every macro-F1 kept in
        /// `draws`. One score is returned as it is; none gives a zero score.
        public static func mean(of scores: [Reverse]) -> Reverse {
            guard scores.count > 1, let first = scores.first else {
                return scores.first ?? Reverse(macroF1: 0, accuracy: 0, targetShares: [], documents: 0)
            }
            let n = Double(scores.count)
            let shares = first.targetShares.indices.map { i in
                scores.reduce(0) { $0 + (i < $1.targetShares.count ? $1.targetShares[i] : 0) } / n
            }
            return Reverse(macroF1: scores.reduce(0) { $0 + $1.macroF1 } / n, accuracy: scores.reduce(0) { $0 + $1.accuracy } / n,
                           targetShares: shares, documents: first.documents, draws: scores.map(\.macroF1))
        }
    }

    /// Most target documents a reverse head learns from (a seeded sample of the target text
    /// beyond that): enough to rank heads, and cheap next to the adaptation itself.
    public static let defaultDocuments = 10_000

    /// The target documents reverse validation uses: all of `target` up to `limit`, otherwise a
    /// sample of `limit` drawn with `seed` (kept in text order).
    public static func sample(_ target: [String], limit: Int = defaultDocuments, seed: UInt64) -> [String] {
        guard limit > 0, target.count > limit else { return target }
        var rng = SeededRandom(seed: seed ^ 0x5EB)
        var order = Array(0..<target.count)
        order.shuffle(using: &rng)
        return order.prefix(limit).sorted().map { target[$0] }
    }

    /// Reverse validation of `head` (see ``AdaptationEstimate``): `target` (use ``sample(_:limit:seed:)``)
    /// labeled by the head trains a head over `index` with `config`, scored on `source`.
    /// `source` must use the head's labels (it is relabeled to them).
    public static func reverseValidation(of head: ClassifierHead, target: [String], source: LabeledDataset,
                                         index: EmbeddingIndex, config: ClassifierConfig) throws -> Reverse {
        guard !target.isEmpty else { throw WordshiftError.emptyInput(path: "target text", message: "no target documents to label") }
        let L = head.labels.count
        let predicted = head.predict(target, threads: config.threads)
        var counts = [Int](repeating: 0, count: L)
        for p in predicted where p >= 0 && p < L { counts[p] += 1 }
        let shares = counts.map { Double($0) / Double(max(1, target.count)) }
        let scored = source.relabeled(to: head.labels)
        let known = scored.subset((0..<scored.count).filter { scored.labelIDs[$0] >= 0 })
        guard counts.filter({ $0 > 0 }).count >= 2, !known.texts.isEmpty else {
            return Reverse(macroF1: 0, accuracy: 0, targetShares: shares, documents: target.count)
        }
        let pseudo = LabeledDataset(labels: head.labels, texts: target, labelIDs: predicted, source: "reverse-validation labels")
        let reverse = try Classifier.train(index: index, train: pseudo, config: config).head
        let m = reverse.evaluate(known, threads: config.threads)
        return Reverse(macroF1: m.macroF1, accuracy: m.accuracy, targetShares: shares, documents: target.count)
    }

    /// A method and its reverse-validation score.
    public struct Scored: Sendable, Equatable, Codable {
        /// The method whose head was scored.
        public var method: AdaptationMethod
        /// Its score.
        public var reverse: Reverse
        /// A method and its score.
        public init(method: AdaptationMethod, reverse: Reverse) {
            self.method = method
            self.reverse = reverse
        }
    }

    /// A candidate counts as predicted to hurt when its score is below the source-only mean by
    /// more than this many standard deviations of the difference (one-sided, about 2.3% for a
    /// normal score).
    public static let hurtDeviations = 2.0

    /// Source-only heads (head seeds) whose reverse-validation scores give the source-only mean
    /// and its spread.
    public static let defaultReplicates = 5

    /// The seed of source-only replicate `r` (0: `seed` itself, the run's own head).
    public static func replicateSeed(_ seed: UInt64, _ r: Int) -> UInt64 {
        r == 0 ? seed : seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15
    }

    /// How `--method auto` chose, label-free: reported with the head.
    public struct Decision: Sendable, Equatable, Codable {
        /// One candidate's estimate against source-only.
        public struct Verdict: Sendable, Equatable, Codable {
            /// The candidate method.
            public var method: AdaptationMethod
            /// Its reverse-validation macro-F1.
            public var macroF1: Double
            /// `macroF1` minus the source-only mean (negative: below source-only).
            public var difference: Double
            /// Below the source-only mean by more than `margin` (or a head that gave every
            /// target document one label): never chosen.
            public var predictedToHurt: Bool
            /// The reverse heads' macro-F1 scores when `macroF1` is their mean (nil for one).
            public var draws: [Double]?
        }
        /// The chosen method (`.sourceOnly` when every candidate is predicted to hurt).
        public var choice: AdaptationMethod
        /// Reverse-validation macro-F1 of the source-only replicates (head seeds).
        public var sourceOnlyScores: [Double]
        /// Their mean.
        public var sourceOnlyMean: Double
        /// Their sample standard deviation (0 with one replicate).
        public var noise: Double
        /// How far below the mean a candidate may score and still not count as hurting:
        /// `deviations · noise · √(1 + 1/replicates)` (the candidate is one draw, the mean has
        /// `noise/√replicates`).
        public var margin: Double
        /// The candidates in preference order.
        public var verdicts: [Verdict]

        /// One line for notes and the CLI.
        public var summary: String {
            let so = "source-only \(Format.percent(sourceOnlyMean)) ± \(Format.percent(noise)) over \(sourceOnlyScores.count) head seeds"
            let v = verdicts.map { v in
                let spread = v.draws.flatMap { d in d.min().flatMap { lo in d.max().map { hi in
                    " mean of \(d.count) reverse heads, \(Format.percent(lo))–\(Format.percent(hi))" } } } ?? ""
                return "\(v.method.title) \(Format.percent(v.macroF1)) (\(v.difference >= 0 ? "+" : "")\(Format.fixed(v.difference * 100, 1))\(spread))"
                    + (v.predictedToHurt ? " predicted to hurt" : "")
            }
            return "auto: chose \(choice.title) — first in preference order not predicted to hurt; reverse-validation macro-F1 "
                + so + ", margin \(Format.fixed(margin * 100, 1)) points; " + v.joined(separator: ", ") + " (no target label read)"
        }
    }

    /// The rule of `--method auto`. `candidates` are the methods auto may choose, in order of
    /// preference, with their scores; `sourceOnly` the reverse-validation scores of source-only
    /// heads over several head seeds (the run's own first). A candidate is predicted to hurt when
    /// its macro-F1 is below the source-only mean by more than `deviations · sd · √(1 + 1/n)`, or
    /// when its head gave every target document one label (score 0); the first candidate not
    /// predicted to hurt is chosen, otherwise source-only. Without source-only scores every
    /// candidate counts as predicted to hurt. A candidate's score may be a mean over several
    /// reverse heads (``Reverse/mean(of:)``, as `DomainAdapter` scores them); the margin stays
    /// that of one draw, so averaging only makes a veto less likely to come from one low draw.
    public static func decide(candidates: [(AdaptationMethod, Reverse)], sourceOnly: [Reverse],
                              deviations: Double = hurtDeviations) -> Decision {
        let scores = sourceOnly.map(\.macroF1)
        let n = Double(scores.count)
        let mean = scores.isEmpty ? 0 : scores.reduce(0, +) / n
        let sd = scores.count < 2 ? 0 : (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        let margin = scores.isEmpty ? 0 : max(0, deviations) * sd * (1 + 1 / n).squareRoot()
        var verdicts: [Decision.Verdict] = []
        for (m, r) in candidates where m != .sourceOnly && m != .auto && !verdicts.contains(where: { $0.method == m }) {
            let hurts = scores.isEmpty || r.macroF1 <= 0 || r.macroF1 < mean - margin
            verdicts.append(Decision.Verdict(method: m, macroF1: r.macroF1, difference: r.macroF1 - mean, predictedToHurt: hurts, draws: r.draws))
        }
        let choice = verdicts.first { !$0.predictedToHurt }?.method ?? .sourceOnly
        return Decision(choice: choice, sourceOnlyScores: scores, sourceOnlyMean: mean, noise: sd, margin: margin, verdicts: verdicts)
    }
}
