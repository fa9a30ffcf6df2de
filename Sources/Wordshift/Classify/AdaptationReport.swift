/// One line of the adaptation table: a model and its scores on every test file.
public struct AdaptationRow: Codable, Sendable {
    /// What a row measures.
    public enum Kind: String, Codable, Sendable {
        /// The source-only head, against which gaps are measured.
        case baseline
        /// An adaptation method without target labels.
        case method
        /// K labeled target examples.
        case fewShot = "few-shot"
        /// A head trained on all labeled target data.
        case upperBound = "upper-bound"
    }

    /// A row's result on one test set.
    public struct Score: Codable, Sendable {
        /// The test set (its path, as given).
        public var test: String
        /// Share of the test examples classified correctly, in [0, 1].
        public var accuracy: Double
        /// Unweighted mean of the labels' F1 on the test set, in [0, 1].
        public var macroF1: Double
        /// (accuracy − source-only) / (in-domain − source-only), when both are known.
        public var gapClosed: Double?
    }
    /// What the row is, e.g. `source-only`, `coral`, `few-shot K=50`, `in-domain (upper bound)`.
    public var name: String
    /// What the row measures.
    public var kind: Kind
    /// The adapter method of the row (nil for the in-domain bounds).
    public var method: AdaptationMethod?
    /// Labeled target examples the row used (0 for the unsupervised methods).
    public var usesTargetLabels: Int
    /// Wall-clock time to train the row's model, in seconds.
    public var seconds: Double
    /// One score per test set, in the order of ``AdaptationReport/tests``.
    public var scores: [Score]
}

/// The comparison table of ``AdaptationComparison``: rows of models, columns of test sets.
public struct AdaptationReport: Codable, Sendable {
    /// The chart's title (by default made from the source, target and test names).
    public var title: String
    /// The labeled source files.
    public var sources: [String]
    /// Labeled source examples.
    public var sourceExamples: Int
    /// The unlabeled target file.
    public var targetUnlabeled: String
    /// Unlabeled target texts used.
    public var targetUnlabeledExamples: Int
    /// The test files, in the order of each row's scores.
    public var tests: [String]
    /// The models compared, in the order they ran.
    public var rows: [AdaptationRow]
    /// Remarks a reader needs, e.g. a method that could not run and why.
    public var notes: [String]
    /// How the `auto` row was chosen (label-free), when it was.
    public var autoDecision: AdaptationEstimate.Decision? = nil
    /// The target class prior estimated from the unlabeled text (label-free), when it was.
    public var targetPrior: TargetPrior? = nil

    /// Fills `gapClosed` from the `source-only` row and the best `upper-bound` row per test.
    mutating func computeGaps() {
        guard let base = rows.first(where: { $0.kind == .baseline }) else { return }
        let uppers = rows.filter { $0.kind == .upperBound }
        guard !uppers.isEmpty else { return }
        for r in rows.indices {
            for s in rows[r].scores.indices where s < base.scores.count {
                let b = base.scores[s].accuracy
                let u = uppers.compactMap { s < $0.scores.count ? $0.scores[s].accuracy : nil }.max() ?? b
                rows[r].scores[s].gapClosed = abs(u - b) > 1e-9 ? (rows[r].scores[s].accuracy - b) / (u - b) : nil
            }
        }
    }

    /// A plain-text table.
    public func table() -> String {
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        var out = pad("model", 26) + pad("target labels", 14)
        for t in tests { out += pad(shortName(t) + " acc / mF1 / gap", 38) }
        out += "time\n"
        for r in rows {
            out += pad(r.name, 26) + pad(String(r.usesTargetLabels), 14)
            for s in r.scores {
                out += pad(Format.percent(s.accuracy) + " / " + Format.fixed(s.macroF1 * 100, 1)
                           + " / " + (s.gapClosed.map { Format.percent($0) } ?? "-"), 38)
            }
            out += Format.fixed(r.seconds, 1) + " s\n"
        }
        return out
    }

    /// "restaurant-a + restaurant-b → movie-unlabeled: accuracy on movie-imdb-test, movie-rt-polarity".
    public func defaultTitle() -> String {
        func short(_ p: String) -> String {
            var b = shortName(p)
            for ext in [".gz", ".txt", ".tsv"] where b.hasSuffix(ext) { b = String(b.dropLast(ext.count)) }
            return b
        }
        return sources.map(short).joined(separator: " + ") + " → " + short(targetUnlabeled) + ": accuracy on "
            + tests.map(short).joined(separator: ", ")
    }

    func shortName(_ path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".tsv") ? String(base.dropLast(4)) : base
    }

    /// A grouped bar chart of accuracy per model and test set, as standalone SVG text.
    public func svg() -> String {
        let colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2"]
        let barW = 14.0, gap = 10.0, left = 60.0, top = 40.0, height = 260.0
        let groupW = Double(tests.count) * barW + gap
        // Room on the right for the last rotated row label and the legend.
        let width = max(left + Double(rows.count) * groupW + 150, left + Double(title.count) * 7.5)
        let lo = 0.4, hi = 1.0
        func y(_ a: Double) -> Double { top + height * (1 - (min(hi, max(lo, a)) - lo) / (hi - lo)) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(top + height + 130))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        s += "<text x=\"\(left)\" y=\"20\" font-size=\"14\">\(escape(title))</text>\n"
        for k in 0...6 {
            let a = lo + Double(k) * 0.1
            s += "<line x1=\"\(left - 4)\" x2=\"\(width - 155)\" y1=\"\(y(a))\" y2=\"\(y(a))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(left - 8)\" y=\"\(y(a) + 4)\" text-anchor=\"end\">\(Int((a * 100).rounded()))%</text>\n"
        }
        for (i, r) in rows.enumerated() {
            let x0 = left + Double(i) * groupW + gap / 2
            for (j, sc) in r.scores.enumerated() {
                let x = x0 + Double(j) * barW
                s += "<rect x=\"\(x)\" y=\"\(y(sc.accuracy))\" width=\"\(barW - 2)\" height=\"\(top + height - y(sc.accuracy))\" fill=\"\(colours[j % colours.count])\"><title>\(escape(r.name)) on \(escape(shortName(sc.test))): \(Format.percent(sc.accuracy))</title></rect>\n"
            }
            let cx = x0 + Double(tests.count) * barW / 2
            s += "<text transform=\"translate(\(cx),\(top + height + 10)) rotate(45)\">\(escape(r.name))</text>\n"
        }
        for (j, t) in tests.enumerated() {
            let x = width - 150, yy = top + Double(j) * 16
            s += "<rect x=\"\(x)\" y=\"\(yy - 9)\" width=\"10\" height=\"10\" fill=\"\(colours[j % colours.count])\"/><text x=\"\(x + 14)\" y=\"\(yy)\">\(escape(shortName(t)))</text>\n"
        }
        return s + "</svg>\n"
    }

    func escape(_ t: String) -> String {
        t.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
    }
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
