import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §7: one line with a label but no text rejected a whole labelled file; 10,000
/// distinct labels nearly hung (a dense 10⁸-cell confusion matrix, built in cubic time, and a
/// table of every label on stdout); escape codes in head names went raw to the terminal.
@Suite("Hardening: labelled data and heads")
struct LabeledInputTests {
    @Test func aLabelWithoutTextIsSkippedAndCounted() throws {
        let path = Scratch.write("pos\tgood food\nneg\t\nneg\tbad\n__label__pos\nneg  \t  \r\npos\tok\n")
        let d = try LabeledDataReader.read(path)
        #expect(d.texts == ["good food", "bad", "ok"])
        #expect(d.labels == ["neg", "pos"] && d.labelIDs == [1, 0, 1])
        #expect(d.linesWithoutText == 3 && d.firstLinesWithoutText == [2, 4, 5])
        // Nothing but such lines: no data, and the error says why.
        let none = Scratch.write("pos\t\nneg\t \n")
        #expect(throws: WordshiftError.emptyInput(path: none, message: "no labeled lines (2 lines have a label but no text)")) {
            _ = try LabeledDataReader.read(none)
        }
    }

    @Test func metricsForTenThousandLabelsKeepNoDenseMatrix() {
        let k = 10_000
        let labels = (0..<k).map { "l\($0)" }
        var rng = SeededRandom(seed: 5)
        let gold = (0..<50_000).map { _ in rng.next(below: k) }
        let predicted = gold.enumerated().map { $0.offset % 4 == 0 ? ($0.element + 1) % k : $0.element }
        let m = ClassificationMetrics(labels: labels, gold: gold, predicted: predicted)
        #expect(m.confusion.isEmpty)
        #expect(m.count == 50_000 && abs(m.accuracy - 0.75) < 1e-12)
        #expect(m.perLabel.count == k && m.perLabel.map(\.support).reduce(0, +) == 50_000)
        // The same figures as the dense computation on a small case.
        let small = ClassificationMetrics(labels: ["a", "b", "c"], gold: [0, 0, 1, 2, 2], predicted: [0, 1, 1, 2, 0])
        let dense = ClassificationMetrics(labels: ["a", "b", "c"], confusion: [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
        #expect(small == dense)
    }

    @Test func aHeadWithManyLabelsPrintsBoundedTablesAndNamesAreEscaped() throws {
        let (dir, store) = try HostileInput.store()
        var lines = ""
        for i in 0..<1_200 { lines += "l\(i % 300)\tw\(i % 60) w\((i / 60) % 60)\n" }
        lines += "l1\t\n"
        let train = Scratch.write(lines, name: "many.tsv", in: dir)
        let name = "x\u{1B}[2Jred\u{7}"
        let r = ChildProcess.wordshift(["classify", "train", store, "--train", train, "--valid", train, "--name", name,
                                        "--epochs", "1", "--threads", "1", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout.split(separator: "\n")
        #expect(out.count < 40, "\(out.count) lines")
        #expect(r.stdout.contains("… 270 more labels") && r.stdout.contains("confusion matrix: not shown for 300 labels"), "\(r.stdout)")
        #expect(!r.stdout.utf8.contains(0x1B) && !r.stdout.utf8.contains(0x07))
        let noisy = ChildProcess.wordshift(["classify", "train", store, "--train", train, "--name", "again", "--epochs", "1", "--threads", "1"])
        #expect(noisy.stderr.contains("many.tsv: skipped 1 line with a label but no text (line 1201)"), "\(noisy.stderr)")

        let list = ChildProcess.wordshift(["classify", "list", store])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(!list.stdout.utf8.contains(0x1B) && !list.stdout.utf8.contains(0x07), "\(list.stdout.debugDescription)")
        #expect(list.stdout.contains("x\\u{1B}[2Jred\\u{7}"), "\(list.stdout)")
        #expect(list.stdout.contains("(300 labels)") && list.stdout.utf8.count < 2_000, "\(list.stdout.utf8.count) bytes")
        // JSON keeps the exact name and every label, but no 300 × 300 matrix.
        let json = ChildProcess.wordshift(["classify", "list", store, "--json"])
        let heads = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let head = heads.first { $0["name"] as? String == name }
        #expect((head?["labels"] as? [String])?.count == 300)
        #expect(((head?["metrics"] as? [String: Any])?["confusion"] as? [Any])?.isEmpty == true)
    }
}
