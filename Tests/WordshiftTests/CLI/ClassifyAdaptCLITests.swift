import Foundation
import Testing
@testable import Wordshift

/// `classify adapt` / `compare` / `info` as a user runs them: real processes on a tiny store.
@Suite struct ClassifyAdaptCLITests {
    let cli = CLITests()

    struct Files { var dir: String; var store: String; var source: String; var target: String; var test: String }

    func files() throws -> Files {
        let dir = TestData.scratchDirectory()
        let store = try ClassifyFixtures.store(in: dir)
        var src = "", tgt = "", tst = ""
        let s = ClassifyFixtures.toyData(200), t = ClassifyFixtures.toyData(120, seed: 8)
        for (text, l) in zip(s.texts, s.labelIDs) { src += s.labels[l] + "\t" + text + "\n" }
        for (text, l) in zip(t.texts, t.labelIDs) { tgt += text + "\n"; tst += t.labels[l] + "\t" + text + "\n" }
        return Files(dir: dir, store: store, source: Scratch.write(src, name: "src.tsv", in: dir),
                     target: Scratch.write(tgt, name: "target.txt", in: dir), test: Scratch.write(tst, name: "test.tsv", in: dir))
    }

    static let small = ["--epochs", "3", "--lr", "0.5", "--buckets", "4096", "--threads", "1", "--adapt-iter", "2", "--adapt-min-count", "1"]

    @Test func adaptSavesAHeadThatPredictAndEvaluateUse() throws {
        let f = try files()
        let r = try cli.wordshift(["classify", "adapt", f.store, "--source", f.source, "--target-unlabeled", f.target, "--name", "movie",
                                   "--method", "embeddings+self-train", "--test", f.test, "--json", "-q"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try #require(try cli.json(r.stdout) as? [String: Any])
        #expect(summary["version"] as? Int == 1)
        #expect(summary["method"] as? String == "embeddings+self-train")
        let set = try #require(summary["vectorSet"] as? String)
        #expect(summary["vectorSetReused"] as? Bool == false)
        let tests = try #require(summary["tests"] as? [[String: Any]])
        let accuracy = try #require(tests.first?["accuracy"] as? Double)
        // predict and evaluate in new processes use the head's vector set.
        let e = try cli.wordshift(["classify", "evaluate", f.store, "--name", "movie", f.test, "--json", "-q"])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(abs(((try cli.json(e.stdout) as? [String: Any])?["accuracy"] as? Double ?? -1) - accuracy) < 1e-9)
        let p = try cli.wordshift(["classify", "predict", f.store, "--name", "movie", f.test])
        #expect(p.status == 0 && p.stdout.split(separator: "\n").count == 120, "\(p.stderr)")
        // The provenance: input files with their SHA-256, the method, the vector set.
        let i = try cli.wordshift(["classify", "info", f.store, "--name", "movie", "--json"])
        let info = try #require(try cli.json(i.stdout) as? [String: Any])
        let head = try #require(info["head"] as? [String: Any])
        let provenance = try #require(head["provenance"] as? [String: Any])
        let sources = try #require(provenance["sources"] as? [[String: Any]])
        #expect(sources.first?["fileSHA256"] as? String == (try SHA256Hasher.hashFile(f.source)))
        #expect((provenance["target"] as? [String: Any])?["fileSHA256"] as? String == (try SHA256Hasher.hashFile(f.target)))
        #expect(head["vectorSet"] as? String == set)
        #expect((info["vectorSet"] as? [String: Any])?["settings"] as? [String: String] != nil)
        let list = try cli.wordshift(["classify", "list", f.store])
        #expect(list.stdout.contains("embeddings + self-train over \(set)"), "\(list.stdout)")
        // A second run with the same settings reuses the set and saves version 2.
        let again = try cli.wordshift(["classify", "adapt", f.store, "--source", f.source, "--target-unlabeled", f.target, "--name", "movie",
                                       "--method", "embeddings+self-train", "--json", "-q"] + Self.small)
        let second = try #require(try cli.json(again.stdout) as? [String: Any])
        #expect(second["version"] as? Int == 2 && second["vectorSetReused"] as? Bool == true && second["vectorSet"] as? String == set)
        // The default method (auto) reuses the set too, reports every candidate's reverse-validation
        // estimate and the choice, and records both in the provenance.
        let auto = try cli.wordshift(["classify", "adapt", f.store, "--source", f.source, "--target-unlabeled", f.target, "--name", "movie",
                                      "--json", "-q"] + Self.small)
        #expect(auto.status == 0, "\(auto.stderr)")
        let third = try #require(try cli.json(auto.stdout) as? [String: Any])
        let estimates = try #require(third["estimates"] as? [[String: Any]])
        #expect(estimates.compactMap { $0["method"] as? String } == ["source-only", "embeddings", "embeddings+self-train", "self-train"])
        let chosen = try #require(third["method"] as? String)
        let decision = try #require(third["decision"] as? [String: Any])
        #expect(decision["choice"] as? String == chosen && (decision["sourceOnlyScores"] as? [Double])?.count == 5)
        #expect((third["notes"] as? [String])?.contains { $0.hasPrefix("auto: chose ") } == true)
        #expect(((third["provenance"] as? [String: Any])?["settings"] as? [String: String])?["chosen_method"] == chosen)
    }

    @Test func mismatchedVectorSetIsRefusedWithWhatToDo() throws {
        let f = try files()
        let base = ["classify", "adapt", f.store, "--source", f.source, "--target-unlabeled", f.target, "--vectors", "movie-vectors",
                    "--method", "embeddings+self-train", "-q"]
        #expect(try cli.wordshift(base + ["--name", "a"] + Self.small).status == 0)
        let r = try cli.wordshift(base + ["--name", "b", "--adapt-window", "9"] + Self.small)
        #expect(r.status != 0)
        #expect(r.stderr.contains("window: 50 → 9") && r.stderr.contains("--rebuild-vectors"), "\(r.stderr)")
        // Rebuilding a set that a head uses is refused too; nothing of "b" was saved.
        let rebuild = try cli.wordshift(base + ["--name", "b", "--adapt-window", "9", "--rebuild-vectors"] + Self.small)
        #expect(rebuild.status != 0 && rebuild.stderr.contains("used by a v1"), "\(rebuild.stderr)")
        let list = try cli.wordshift(["classify", "list", f.store, "--json"])
        let heads = try cli.json(list.stdout) as? [[String: Any]]
        #expect(heads?.map { $0["name"] as? String } == ["a"])
    }

    @Test func badInputFailsBeforeWorkAndLeavesTheStoreAlone() throws {
        let f = try files()
        let before = ClassifyFixtures.fileBytes(f.store)
        let empty = Scratch.write("\n\n", name: "empty.txt", in: f.dir)
        let oneClass = Scratch.write("pos\tgood food\npos\tgreat movie\n", name: "one.tsv", in: f.dir)
        let runs: [[String]] = [
            ["--source", f.source, "--target-unlabeled", empty, "--name", "x"],
            ["--source", oneClass, "--target-unlabeled", f.target, "--name", "x"],
            ["--source", f.source, "--target-unlabeled", f.target, "--name", ""],
            ["--source", f.source, "--target-unlabeled", f.dir + "/missing.txt", "--name", "x"],
            ["--source", f.source, "--target-unlabeled", Scratch.write("zzz qqq\nxyzzy\n", name: "foreign.txt", in: f.dir), "--name", "x"],
        ]
        for args in runs {
            let r = try cli.wordshift(["classify", "adapt", f.store] + args + Self.small)
            #expect(r.status != 0 && !r.stderr.isEmpty, "\(args)")
        }
        #expect(ClassifyFixtures.fileBytes(f.store) == before)
        // compare checks its output paths before any work.
        let c = try cli.wordshift(["classify", "compare", f.store, "--source", f.source, "--target-unlabeled", f.target, "--test", f.test,
                                   "--svg", f.dir + "/no/such/dir/c.svg"] + Self.small)
        #expect(c.status != 0 && c.stderr.contains("c.svg"), "\(c.stderr)")
    }

    /// Test data labeled with other names than the head's: refused with the fix when no label
    /// matches, renamed by --label-map, a warning when only some examples have unknown labels;
    /// `adapt` refuses such a --test file before any work.
    @Test func testLabelsOtherThanTheHeadsAreRefusedOrMapped() throws {
        let f = try files()
        let trained = try cli.wordshift(["classify", "train", f.store, "--train", f.source, "--name", "toy", "--epochs", "3", "--threads", "1", "-q"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let test = try String(contentsOfFile: f.test, encoding: .utf8)
        let renamed = test.split(separator: "\n").map { line in
            line.hasPrefix("pos\t") ? "positive" + line.dropFirst(3) : "negative" + line.dropFirst(3)
        }.joined(separator: "\n") + "\n"
        let foreign = Scratch.write(renamed, name: "foreign.tsv", in: f.dir)
        let refused = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", foreign])
        #expect(refused.status != 0, "\(refused.stdout)")
        #expect(refused.stderr.contains("none of the labels") && refused.stderr.contains("--label-map negative=neg,positive=pos"), "\(refused.stderr)")
        let expected = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", f.test, "--json", "-q"])
        let mapped = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", foreign, "--label-map", "positive=pos,negative=neg", "--json", "-q"])
        #expect(mapped.status == 0, "\(mapped.stderr)")
        let a = (try cli.json(expected.stdout) as? [String: Any])?["accuracy"] as? Double
        let b = (try cli.json(mapped.stdout) as? [String: Any])?["accuracy"] as? Double
        #expect(a != nil && a == b)
        // Half renamed: scored, with a warning naming the unknown label.
        let partly = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", foreign, "--label-map", "positive=pos"])
        #expect(partly.status == 0 && partly.stderr.contains("warning:") && partly.stderr.contains("negative"), "\(partly.stderr)")
        for bad in ["positive", "positive=pos,positive=neg", "=pos"] {
            let r = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", foreign, "--label-map", bad])
            #expect(r.status != 0 && r.stderr.contains("--label-map"), "\(bad): \(r.stderr)")
        }
        let before = ClassifyFixtures.fileBytes(f.store)
        let adapt = try cli.wordshift(["classify", "adapt", f.store, "--source", f.source, "--target-unlabeled", f.target, "--name", "x",
                                       "--method", "source-only", "--test", foreign] + Self.small)
        #expect(adapt.status != 0 && adapt.stderr.contains("--label-map"), "\(adapt.stderr)")
        #expect(ClassifyFixtures.fileBytes(f.store) == before)
    }

    /// Files as editors on Windows write them (a byte order mark, CRLF) score like plain ones, and
    /// `predict` answers every input line, a blank one with an empty line.
    @Test func byteOrderMarkCRLFAndBlankLinesKeepLabelsAndLines() throws {
        let f = try files()
        #expect(try cli.wordshift(["classify", "train", f.store, "--train", f.source, "--name", "toy", "--epochs", "3", "--threads", "1", "-q"]).status == 0)
        let test = try String(contentsOfFile: f.test, encoding: .utf8)
        let windows = Scratch.write("\u{FEFF}" + test.replacingOccurrences(of: "\n", with: "\r\n"), name: "windows.tsv", in: f.dir)
        let plain = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", f.test, "--json", "-q"])
        let bom = try cli.wordshift(["classify", "evaluate", f.store, "--name", "toy", windows, "--json"])
        #expect(bom.status == 0 && !bom.stderr.contains("warning"), "\(bom.stderr)")
        let a = (try cli.json(plain.stdout) as? [String: Any])?["accuracy"] as? Double
        let b = (try cli.json(bom.stdout) as? [String: Any])?["accuracy"] as? Double
        #expect(a != nil && a == b)
        let input = Scratch.write("great food!\n\nawful movie\n   \nfine\n", name: "in.txt", in: f.dir)
        let p = try cli.wordshift(["classify", "predict", f.store, "--name", "toy", input])
        #expect(p.status == 0, "\(p.stderr)")
        let out = p.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(out.count == 6 && out[5].isEmpty, "\(p.stdout)")  // five lines and the final newline
        #expect(out[0].hasPrefix("__label__") && out[1].isEmpty && out[2].hasPrefix("__label__") && out[3].isEmpty && out[4].hasPrefix("__label__"))
        let j = try cli.wordshift(["classify", "predict", f.store, "--name", "toy", input, "--json"])
        let entries = try #require(try cli.json(j.stdout) as? [[String: Any]])
        #expect(entries.map { ($0["labels"] as? [String])?.count ?? -1 } == [1, 0, 1, 0, 1])
    }

    @Test func compareWritesTableJSONAndSVGWithTitlesFromTheData() throws {
        let f = try files()
        let r = try cli.wordshift(["classify", "compare", f.store, "--source", f.source, "--target-unlabeled", f.target, "--test", f.test,
                                   "--method", "embeddings", "self-train", "--svg", f.dir + "/c.svg", "--report", f.dir + "/c.json", "-q"]
                                  + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("src → target: accuracy on test\n"), "\(r.stdout)")
        #expect(r.stdout.contains("embeddings") && r.stdout.contains("self-train"))
        let svg = try String(contentsOfFile: f.dir + "/c.svg", encoding: .utf8)
        #expect(svg.contains(">src → target: accuracy on test</text>") && !svg.contains("Restaurant"))
        let report = try #require(try cli.json(String(contentsOfFile: f.dir + "/c.json", encoding: .utf8)) as? [String: Any])
        #expect((report["rows"] as? [[String: Any]])?.map { $0["name"] as? String } == ["source-only", "embeddings", "self-train"])
    }
}
