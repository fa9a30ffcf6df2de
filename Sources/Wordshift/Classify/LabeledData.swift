/// Labeled text for classification: `label<TAB>text` lines, or fastText's
/// `__label__x text` lines (several `__label__` prefixes: the first one is the label).
public struct LabeledDataset: Sendable {
    /// Label names; an example's `label` indexes this array.
    public var labels: [String]
    /// The texts, one per example.
    public var texts: [String]
    /// Each example's label, an index into ``labels`` (-1: a label the dataset does not know).
    public var labelIDs: [Int]
    /// Where the data came from (for messages).
    public var source: String
    /// Lines with a label but no text, skipped by the reader (they are no example).
    public var linesWithoutText = 0
    /// Line numbers (1-based) of the first of those, at most `LabeledDataReader.skippedLinesListed`.
    public var firstLinesWithoutText: [Int] = []

    /// A dataset of `texts` with `labelIDs` indexing `labels` (parallel arrays); `source` names where it came from.
    public init(labels: [String], texts: [String], labelIDs: [Int], source: String) {
        self.labels = labels
        self.texts = texts
        self.labelIDs = labelIDs
        self.source = source
    }

    /// Number of examples.
    public var count: Int { texts.count }

    /// Examples per label.
    public var labelCounts: [Int] {
        var c = [Int](repeating: 0, count: labels.count)
        for l in labelIDs where l >= 0 && l < c.count { c[l] += 1 }
        return c
    }

    /// A subset, in the order of `indices`.
    public func subset(_ indices: [Int]) -> LabeledDataset {
        LabeledDataset(labels: labels, texts: indices.map { texts[$0] }, labelIDs: indices.map { labelIDs[$0] }, source: source)
    }

    /// Appends `other`, mapping its labels by name (new names are appended).
    public mutating func append(_ other: LabeledDataset) {
        var map: [Int] = []
        for name in other.labels {
            if let i = labels.firstIndex(of: name) { map.append(i) } else { labels.append(name); map.append(labels.count - 1) }
        }
        texts += other.texts
        linesWithoutText += other.linesWithoutText
        labelIDs += other.labelIDs.map { map[$0] }
    }

    /// The dataset with its label names passed through `map` (a name `map` does not list stays
    /// as it is; names mapped to the same name become one label). For data labeled with other
    /// names than a head's, e.g. `["positive": "pos", "negative": "neg"]`.
    public func renamingLabels(_ map: [String: String]) -> LabeledDataset {
        var names: [String] = []
        var remap: [Int] = []
        for old in labels {
            let new = map[old] ?? old
            if let i = names.firstIndex(of: new) { remap.append(i) } else { names.append(new); remap.append(names.count - 1) }
        }
        var out = LabeledDataset(labels: names, texts: texts,
                                 labelIDs: labelIDs.map { $0 >= 0 && $0 < remap.count ? remap[$0] : -1 }, source: source)
        out.linesWithoutText = linesWithoutText
        out.firstLinesWithoutText = firstLinesWithoutText
        return out
    }

    /// The labels that have examples here but are not among `known` (a head's labels), with
    /// their example counts, in label order. Such examples can only count as errors.
    public func examples(withLabelsOutside known: [String]) -> [(label: String, examples: Int)] {
        zip(labels, labelCounts).filter { $0.1 > 0 && !known.contains($0.0) }.map { (label: $0.0, examples: $0.1) }
    }

    /// Re-indexes the labels to `names` (the order of a trained head). Unknown labels map to -1.
    public func relabeled(to names: [String]) -> LabeledDataset {
        let map = labels.map { names.firstIndex(of: $0) ?? -1 }
        return LabeledDataset(labels: names, texts: texts, labelIDs: labelIDs.map { map[$0] }, source: source)
    }
}

/// Reads labeled text files (`label<TAB>text` or fastText's `__label__x text` lines).
public enum LabeledDataReader {
    /// How many line numbers of skipped lines a dataset keeps.
    public static let skippedLinesListed = 10

    /// Splits one line into (label, text). Returns nil for a blank line; the text is empty for
    /// a line with a label and nothing else.
    static func split(_ line: String, path: String, lineNumber: Int) throws -> (String, String)? {
        let trimmed = line.trimmingASCIIWhitespace()
        if trimmed.isEmpty { return nil }
        if trimmed.hasPrefix("__label__") {
            var rest = Substring(trimmed)
            var label: Substring?
            while rest.hasPrefix("__label__") {
                let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
                let name = rest[rest.index(rest.startIndex, offsetBy: 9)..<end]
                if label == nil { label = name }
                rest = rest[end...].drop(while: { $0 == " " || $0 == "\t" })
            }
            guard let label, !label.isEmpty else {
                throw WordshiftError.malformedLine(path: path, line: lineNumber, message: "empty label after __label__")
            }
            return (String(label), String(rest))
        }
        // The tab is looked for in the line as it is: `label<TAB>` (no text) keeps its tab.
        guard let tab = line.firstIndex(of: "\t") else {
            throw WordshiftError.malformedLine(path: path, line: lineNumber,
                message: "expected `label<TAB>text` or `__label__x text`")
        }
        let label = line[..<tab].trimmingASCIIWhitespace()
        let text = line[line.index(after: tab)...].trimmingASCIIWhitespace()
        guard !label.isEmpty else { throw WordshiftError.malformedLine(path: path, line: lineNumber, message: "empty label") }
        return (label, text)
    }

    /// Reads a labeled file (plain, .gz or `-`). `limit` keeps the first N examples. A line
    /// with a label but no text is skipped and counted (`linesWithoutText`).
    public static func read(_ path: String, limit: Int? = nil) throws -> LabeledDataset {
        let reader = try LineReader(path: path)
        var labels: [String] = [], index: [String: Int] = [:]
        var texts: [String] = [], ids: [Int] = []
        var withoutText = 0, firstWithoutText: [Int] = []
        while let line = try reader.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            if let limit, texts.count >= limit { break }
            guard let (label, text) = try split(line, path: path, lineNumber: reader.lineNumber) else { continue }
            if text.isEmpty {
                withoutText += 1
                if firstWithoutText.count < skippedLinesListed { firstWithoutText.append(reader.lineNumber) }
                continue
            }
            let id: Int
            if let i = index[label] { id = i } else { id = labels.count; index[label] = id; labels.append(label) }
            texts.append(text)
            ids.append(id)
        }
        guard !texts.isEmpty else {
            throw WordshiftError.emptyInput(path: path, message: "no labeled lines"
                + (withoutText > 0 ? " (\(withoutText) lines have a label but no text)" : ""))
        }
        // Sorted label names make a head independent of line order.
        let order = labels.indices.sorted { labels[$0] < labels[$1] }
        var remap = [Int](repeating: 0, count: labels.count)
        for (new, old) in order.enumerated() { remap[old] = new }
        var data = LabeledDataset(labels: order.map { labels[$0] }, texts: texts, labelIDs: ids.map { remap[$0] }, source: path)
        data.linesWithoutText = withoutText
        data.firstLinesWithoutText = firstWithoutText
        return data
    }

    /// Reads unlabeled text, one document per line; a labeled line contributes its text only.
    public static func readText(_ path: String, limit: Int? = nil) throws -> [String] {
        let reader = try LineReader(path: path)
        var texts: [String] = []
        while let line = try reader.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            if let limit, texts.count >= limit { break }
            let t = textOnly(line)
            if !t.isEmpty { texts.append(t) }
        }
        guard !texts.isEmpty else { throw WordshiftError.emptyInput(path: path, message: "no text lines") }
        return texts
    }

    /// Reads documents to label, one per line, keeping a blank line as an empty document so that
    /// answers line up with the input lines; a labeled line contributes its text only. A file
    /// with no text at all is an error.
    public static func readDocuments(_ path: String) throws -> [String] {
        let reader = try LineReader(path: path)
        var texts: [String] = []
        var any = false
        while let line = try reader.nextLine({ String(decoding: $0, as: UTF8.self) }) {
            let t = textOnly(line)
            any = any || !t.isEmpty
            texts.append(t)
        }
        guard any else { throw WordshiftError.emptyInput(path: path, message: "no text lines") }
        return texts
    }

    /// The text of a line that may carry a label (`label<TAB>text` or `__label__x text`).
    public static func textOnly(_ line: String) -> String {
        var s = Substring(line.trimmingASCIIWhitespace())
        if let tab = s.firstIndex(of: "\t") { s = s[s.index(after: tab)...] }
        while s.hasPrefix("__label__") {
            let end = s.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? s.endIndex
            s = s[end...].drop(while: { $0 == " " || $0 == "\t" })
        }
        return String(s)
    }

    /// Fails unless the data has at least two classes.
    public static func requireTwoClasses(_ data: LabeledDataset) throws {
        let present = data.labelCounts.filter { $0 > 0 }.count
        guard present >= 2 else {
            throw WordshiftError.emptyInput(path: data.source,
                message: "only one class (\(data.labels.first ?? "?")): a classifier needs at least two labels")
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII spaces, tabs, CR and LF. Other white space
    /// (U+00A0 NO-BREAK SPACE, …) stays: a whitespace-tokenized corpus keeps it inside words.
    package func trimmingASCIIWhitespace() -> String {
        let u = Array(utf8)
        var lo = 0, hi = u.count
        while lo < hi, u[lo] == 32 || u[lo] == 9 || u[lo] == 13 || u[lo] == 10 { lo += 1 }
        while hi > lo, u[hi - 1] == 32 || u[hi - 1] == 9 || u[hi - 1] == 13 || u[hi - 1] == 10 { hi -= 1 }
        return String(decoding: u[lo..<hi], as: UTF8.self)
    }
}
