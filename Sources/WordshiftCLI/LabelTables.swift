import Wordshift

/// Labelled data and classifier results on the terminal: label and head names come from
/// outside files and flags, so they are printed terminal-safe (escape codes become visible
/// text), and tables stay bounded however many labels a head has.
enum LabelTables {
    /// Rows of the per-label table shown as text (the most frequent labels); --json has all.
    static let perLabelRows = 30
    /// Largest confusion matrix printed as text.
    static let confusionLabels = 20
    /// Labels named in one `classify list` row.
    static let listedLabels = 8

    /// Reads labelled data, warning about lines that had a label but no text.
    static func read(_ path: String, quiet: Bool) throws -> LabeledDataset {
        let data = try LabeledDataReader.read(path)
        if data.linesWithoutText > 0 {
            let n = data.linesWithoutText
            let lines = data.firstLinesWithoutText.map(String.init).joined(separator: ", ") + (n > data.firstLinesWithoutText.count ? ", …" : "")
            warn("\(path): skipped \(n) line\(n == 1 ? "" : "s") with a label but no text (line\(n == 1 ? "" : "s") \(lines))", quiet: quiet)
        }
        return data
    }

    /// Parses `--label-map FROM=TO[,FROM=TO...]`; nil or empty: no renaming.
    static func labelMap(_ text: String?) throws -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        var map: [String: String] = [:]
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw WordshiftError.invalidArgument("--label-map: `\(pair)` is not FROM=TO (e.g. --label-map positive=pos,negative=neg)")
            }
            let from = String(parts[0]), to = String(parts[1])
            if let earlier = map[from], earlier != to {
                throw WordshiftError.invalidArgument("--label-map maps \(Quote.word(from)) twice (to \(Quote.word(earlier)) and \(Quote.word(to)))")
            }
            map[from] = to
        }
        return map
    }

    /// Checks labeled data that a classifier with `labels` will be scored on (after renaming
    /// through `map`): refuses data none of whose labels the classifier knows (every example
    /// would count as an error), and warns when some are unknown. `whose` names the classifier.
    static func scoring(_ data: LabeledDataset, against labels: [String], whose: String, map: [String: String],
                        quiet: Bool) throws -> LabeledDataset {
        let renamed = map.isEmpty ? data : data.renamingLabels(map)
        let outside = renamed.examples(withLabelsOutside: labels)
        guard !outside.isEmpty else { return renamed }
        let listed = outside.prefix(listedLabels).map { "\(Quote.word($0.label)) ×\($0.examples)" }.joined(separator: ", ")
            + (outside.count > listedLabels ? ", …" : "")
        let known = labels.prefix(listedLabels).map { Quote.word($0) }.joined(separator: ", ") + (labels.count > listedLabels ? ", …" : "")
        let unknownExamples = outside.reduce(0) { $0 + $1.examples }
        if unknownExamples == renamed.count {
            // An example of the option's syntax: the file's labels paired with the classifier's in sorted order.
            let example = zip(outside.map(\.label).sorted(), labels.sorted()).prefix(listedLabels).map { "\($0)=\($1)" }.joined(separator: ",")
            throw WordshiftError.invalidArgument("none of the labels in \(data.source) (\(listed)) is a label of \(whose) (\(known)), "
                + "so every example would count as an error. Rename them with --label-map, e.g. --label-map \(example)")
        }
        warn("\(data.source): \(unknownExamples) of \(renamed.count) examples have labels \(whose) does not know (\(listed); it knows \(known)); "
             + "they count as errors (--label-map renames labels)", quiet: quiet)
        return renamed
    }

    /// A label or head name for a table.
    static func name(_ s: String, limit: Int = 40) -> String {
        let safe = Quote.terminalSafe(s)
        return safe.count <= limit ? safe : String(safe.prefix(limit - 1)) + "…"
    }

    /// `labels` joined by commas, at most `listedLabels` of them.
    static func labelList(_ labels: [String]) -> String {
        let shown = labels.prefix(listedLabels).map { name($0, limit: 20) }.joined(separator: ",")
        return labels.count > listedLabels ? shown + ",… (\(labels.count) labels)" : shown
    }

    static func printMetrics(_ m: ClassificationMetrics, title: String) {
        print("\(title): accuracy \(Format.percent(m.accuracy)), macro-F1 \(Format.fixed(m.macroF1 * 100, 2))")
        print("label".padding(16) + "precision  recall     F1         support")
        let rows = m.perLabel.count > perLabelRows
            ? Array(m.perLabel.enumerated().sorted { ($0.element.support, $1.offset) > ($1.element.support, $0.offset) }.prefix(perLabelRows).map(\.element))
            : m.perLabel
        for l in rows {
            print(name(l.label, limit: 15).padding(16) + Format.fixed(l.precision, 4).padding(11) + Format.fixed(l.recall, 4).padding(11)
                  + Format.fixed(l.f1, 4).padding(11) + "\(l.support)")
        }
        if rows.count < m.perLabel.count {
            print("… \(m.perLabel.count - rows.count) more labels (the \(rows.count) most frequent are shown; --json lists all)")
        }
        guard m.labels.count <= confusionLabels, !m.confusion.isEmpty else {
            print("confusion matrix: not shown for \(m.labels.count) labels (at most \(confusionLabels); "
                  + (m.confusion.isEmpty ? "not kept beyond \(ClassificationMetrics.maximumConfusionLabels))" : "--json has it)"))
            return
        }
        print("confusion (rows gold, columns predicted): " + m.labels.map { name($0, limit: 20) }.joined(separator: " "))
        for (i, row) in m.confusion.enumerated() {
            print("  " + name(m.labels[i], limit: 13).padding(14) + row.map(String.init).joined(separator: " "))
        }
    }
}
