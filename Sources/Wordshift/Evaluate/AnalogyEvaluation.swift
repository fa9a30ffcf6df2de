/// Analogy accuracy on the questions-words format (`: section` lines, then `a b c d`),
/// computed as gensim's `evaluate_word_analogies` does: the first `restrictVocab` words,
/// case-insensitive matching, questions with an unknown word skipped and counted against
/// coverage, and the prediction is the best answer other than a, b and c.
public struct AnalogyEvaluation: Codable, Sendable {
    /// Correct answers among the questions attempted (a group of sections: semantic or syntactic).
    public struct Tally: Codable, Sendable {
        /// Questions answered correctly.
        public var correct = 0
        /// Questions whose four words all had a vector (within the restricted vocabulary).
        public var attempted = 0
        /// `correct / attempted`, a fraction in [0, 1] (0 when nothing was attempted).
        public var accuracy: Double { attempted > 0 ? Double(correct) / Double(attempted) : 0 }

        enum CodingKeys: String, CodingKey { case correct, attempted, accuracy }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(correct, forKey: .correct)
            try c.encode(attempted, forKey: .attempted)
            try c.encode(accuracy, forKey: .accuracy)
        }
        /// An empty tally.
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            correct = try c.decode(Int.self, forKey: .correct)
            attempted = try c.decode(Int.self, forKey: .attempted)
        }
    }

    /// The results of one `: section` of the file.
    public struct Section: Codable, Sendable {
        /// The section's name, as written after `: `.
        public var name: String
        /// Questions of the section answered correctly.
        public var correct = 0
        /// Questions of the section whose four words all had a vector.
        public var attempted = 0
        /// Every question of the section, attempted or not.
        public var total = 0
        /// `correct / attempted`, a fraction in [0, 1].
        public var accuracy: Double = 0
        /// Sections named `gram…` are syntactic, the rest semantic (the Google set's convention).
        public var isSyntactic: Bool { name.hasPrefix("gram") }
    }

    /// The results over every section.
    public struct Total: Codable, Sendable {
        /// Questions answered correctly.
        public var correct = 0
        /// Questions whose four words all had a vector.
        public var attempted = 0
        /// Every question of the file.
        public var total = 0
        /// `correct / attempted`, a fraction in [0, 1]: gensim's reported accuracy.
        public var accuracy: Double = 0
        /// `attempted / total`, a fraction in [0, 1]: the share of questions the vocabulary covers.
        public var coverage: Double = 0
        /// Share of questions whose four words all have a vocabulary or subword vector (only
        /// with subwords; accuracy is always over the vocabulary-only questions, as gensim's).
        public var coverageWithSubwords: Double?

        enum CodingKeys: String, CodingKey {
            case correct, attempted, total, accuracy, coverage
            case coverageWithSubwords = "coverage_with_subwords"
        }
    }

    /// The questions file, as given.
    public var file: String
    /// Only the first this-many words (the most frequent, for trained stores) were candidates and could be asked about.
    public var restrictVocab: Int
    /// How the fourth word was predicted (3CosAdd or 3CosMul).
    public var method: AnalogyMethod
    /// Per-section results, in file order.
    public var sections: [Section] = []
    /// Sections not named `gram…`.
    public var semantic = Tally()
    /// Sections named `gram…`.
    public var syntactic = Tally()
    /// Every section together.
    public var total = Total()

    enum CodingKeys: String, CodingKey {
        case file, method, sections, semantic, syntactic, total
        case restrictVocab = "restrict_vocab"
    }

    private struct Question { var section: Int; var a: Int; var b: Int; var c: Int; var expected: String }

    /// Scores the analogy questions of `file` on `index`.
    ///
    /// Questions are matched case-insensitively against the first `restrictVocab` words; one with a
    /// word outside them is skipped (it lowers coverage, not accuracy). Answers are found in
    /// batches of 512 on every core.
    ///
    /// - Parameters:
    ///   - index: The vectors to evaluate.
    ///   - file: A questions-words file (`: section` lines, then `a b c d` lines; plain or gzip).
    ///   - restrictVocab: How many of the first words take part (gensim's `restrict_vocab`).
    ///   - method: 3CosAdd (`.add`, gensim's default) or 3CosMul.
    ///   - subwords: An n-gram table; only used to report `coverageWithSubwords`.
    ///   - handler: Receives progress over the questions.
    /// - Throws: ``WordshiftError/emptyInput(path:message:)`` for a file without `: section` lines,
    ///   ``WordshiftError/malformedLine(path:line:message:)`` for a question before the first
    ///   section, and I/O errors.
    public static func run(index: EmbeddingIndex, file: String, restrictVocab: Int = 300_000,
                           method: AnalogyMethod = .add, subwords: NgramTable? = nil,
                           progress handler: ProgressHandler? = nil) throws -> AnalogyEvaluation {
        let progress = ProgressReporter(handler)
        let resolver = WordResolver(index: index, restrict: restrictVocab, caseInsensitive: true)
        var result = AnalogyEvaluation(file: file, restrictVocab: restrictVocab, method: method)
        var questions: [Question] = []
        var coveredWithSubwords = 0
        let lines = try LineReader(path: file)
        while let text = try lines.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            if text.hasPrefix(": ") {
                let name = String(text.drop { $0 == ":" || $0 == " " }).trimmingSpaces()
                result.sections.append(Section(name: name))
                continue
            }
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0).uppercased() }
            if parts.isEmpty { continue }
            guard parts.count == 4 else { continue }  // gensim skips malformed lines too
            guard !result.sections.isEmpty else {
                throw WordshiftError.malformedLine(path: file, line: lines.lineNumber, message: "a question before the first \": section\" line")
            }
            let s = result.sections.count - 1
            result.sections[s].total += 1
            if let subwords, parts.allSatisfy({ resolver.row($0) != nil || subwords.vector(for: $0.lowercased()) != nil }) {
                coveredWithSubwords += 1
            }
            guard let a = resolver.row(parts[0]), let b = resolver.row(parts[1]), let c = resolver.row(parts[2]),
                  resolver.row(parts[3]) != nil else { continue }
            questions.append(Question(section: s, a: a, b: b, c: c, expected: parts[3]))
        }
        if result.sections.isEmpty { throw WordshiftError.emptyInput(path: file, message: "no \": section\" lines: not a questions-words file") }
        progress.begin("analogies", total: Double(questions.count), unit: " questions")
        let chunk = 512
        var done = 0
        while done < questions.count {
            let batch = questions[done..<min(done + chunk, questions.count)]
            let answers: [[Neighbor]]
            switch method {
            case .add:
                var queries = [Float](); queries.reserveCapacity(batch.count * index.dimension)
                for q in batch {
                    let ua = index.unit(q.a), ub = index.unit(q.b), uc = index.unit(q.c)
                    for j in 0..<index.dimension { queries.append(ub[j] + uc[j] - ua[j]) }
                }
                answers = index.nearestBatch(queries: queries, k: 5, excluding: batch.map { [$0.a, $0.b, $0.c] }, restrict: resolver.restrict)
            case .mul:
                answers = batch.map { index.analogy(a: $0.a, b: $0.b, c: $0.c, k: 5, method: .mul, restrict: resolver.restrict) }
            }
            for (q, found) in zip(batch, answers) {
                let ignore: Set<String> = [index.words[q.a].uppercased(), index.words[q.b].uppercased(), index.words[q.c].uppercased()]
                var predicted: String?
                for n in found {
                    predicted = n.word.uppercased()
                    if let p = predicted, !ignore.contains(p) { break }
                }
                result.sections[q.section].attempted += 1
                if predicted == q.expected { result.sections[q.section].correct += 1 }
            }
            done += batch.count
            progress.update(Double(done))
        }
        progress.end()
        for i in result.sections.indices {
            let s = result.sections[i]
            result.sections[i].accuracy = s.attempted > 0 ? Double(s.correct) / Double(s.attempted) : 0
            if s.isSyntactic {
                result.syntactic.correct += s.correct; result.syntactic.attempted += s.attempted
            } else {
                result.semantic.correct += s.correct; result.semantic.attempted += s.attempted
            }
            result.total.correct += s.correct; result.total.attempted += s.attempted; result.total.total += s.total
        }
        result.total.accuracy = result.total.attempted > 0 ? Double(result.total.correct) / Double(result.total.attempted) : 0
        result.total.coverage = result.total.total > 0 ? Double(result.total.attempted) / Double(result.total.total) : 0
        if subwords != nil {
            result.total.coverageWithSubwords = result.total.total > 0 ? Double(coveredWithSubwords) / Double(result.total.total) : 0
        }
        return result
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
