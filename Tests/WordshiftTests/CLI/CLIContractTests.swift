import Foundation
import Testing
@testable import Wordshift

/// What every `wordshift` command promises: `--json` is JSON on standard output, `--quiet`
/// leaves standard error empty, `--help` explains every argument, `--version` names the build.
@Suite struct CLIContractTests {
    let cli = CLITests()

    /// Commands that do not run once and print a result (a server runs until it is stopped): they
    /// still need `--help` text and `-q/--quiet`, but neither `--json` nor a run in the JSON table.
    static let longRunning: Set<String> = ["serve"]

    /// Every leaf command of the tree `--experimental-dump-help` describes, with its arguments.
    func commands() throws -> [(name: [String], arguments: [[String: Any]], abstract: String)] {
        let r = try cli.wordshift(["--experimental-dump-help"])
        let root = try #require(try cli.json(r.stdout) as? [String: Any])
        var out: [(name: [String], arguments: [[String: Any]], abstract: String)] = []
        func walk(_ c: [String: Any], _ path: [String]) {
            let subs = c["subcommands"] as? [[String: Any]] ?? []
            if subs.isEmpty, path != ["help"] {
                out.append((path, c["arguments"] as? [[String: Any]] ?? [], c["abstract"] as? String ?? ""))
            }
            for s in subs { walk(s, path + [s["commandName"] as? String ?? "?"]) }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return out
    }

    @Test func everyCommandExplainsItselfAndTakesJSONAndQuiet() throws {
        let all = try commands()
        #expect(all.count >= 25)
        for c in all {
            let name = c.name.joined(separator: " ")
            #expect(!c.abstract.isEmpty, "\(name) has no abstract")
            var flags: Set<String> = []
            for a in c.arguments {
                let names = (a["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                flags.formUnion(names)
                let shown = names.first ?? (a["valueName"] as? String ?? "?")
                if shown == "help" || shown == "h" || shown == "version" { continue }
                #expect(!((a["abstract"] as? String) ?? "").isEmpty, "\(name): \(shown) has no help text")
            }
            let required: Set<String> = Self.longRunning.contains(name) ? ["quiet", "q", "help"] : ["json", "quiet", "q", "help"]
            #expect(flags.isSuperset(of: required), "\(name) lacks --json or -q/--quiet: \(flags.sorted())")
            let help = try cli.wordshift(c.name + ["--help"])
            #expect(help.status == 0 && help.stdout.contains("USAGE: wordshift " + name) && help.stderr.isEmpty, "\(name) --help")
        }
    }

    @Test func versionNamesTheVersionAndTheCommit() throws {
        let r = try cli.wordshift(["--version"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        let line = r.stdout.trimmingCharacters(in: .newlines)
        #expect(line == "wordshift \(WordshiftVersion.string)" || line.hasPrefix("wordshift \(WordshiftVersion.string) (commit "), "\(line)")
        // Built from a git checkout: the commit is this checkout's HEAD (built by this test run).
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", TestData.repoRoot, "rev-parse", "--short=12", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = Pipe()
        if (try? git.run()) != nil {
            let head = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            git.waitUntilExit()
            if git.terminationStatus == 0, head.count == 12 {
                #expect(line.hasPrefix("wordshift \(WordshiftVersion.string) (commit \(head)"), "\(line) vs HEAD \(head)")
            }
        }
    }

    /// Runs every command with `--json --quiet` on small inputs: each exits 0, prints JSON (one
    /// document; `subword encode` one per line) on standard output and nothing on standard error.
    @Test func jsonMeansJSONOnStandardOutputEverywhere() throws {
        let dir = TestData.scratchDirectory()
        let corpus = Self.smallCorpus(in: dir)
        let store = dir + "/planted.sqlite"
        try PlantedVectors.writeStore(at: store)
        let vec = try Scratch.file(PlantedVectors.table(), format: .word2vecText, name: "planted.vec", dir: dir)
        var tsv = "", unlabeled = ""
        for i in 0..<120 {
            tsv += i % 2 == 0 ? "pos\tking queen prince lunch \(i % 3)\n" : "neg\tcar truck dog cat \(i % 3)\n"
            unlabeled += i % 2 == 0 ? "princess queen dinner\n" : "truck dog kitten\n"
        }
        let labeled = Scratch.write(tsv, name: "l.tsv", in: dir)
        let target = Scratch.write(unlabeled, name: "u.txt", in: dir)
        let questions = Scratch.write(": family\nman king woman queen\nking queen prince princess\n", name: "q.txt", in: dir)
        let pairs = Scratch.write("king\tqueen\t8\ncat\tdog\t7\ncar\tlunch\t1\n", name: "s.txt", in: dir)
        let bpeStore = dir + "/bpe.sqlite"
        try FileManager.default.copyItem(atPath: store, toPath: bpeStore)
        let train = ["--dim", "8", "--iter", "1", "--min-count", "2", "--threads", "1"]
        let runs: [[String]] = [
            ["demo", "--corpus", corpus, "--out", dir + "/demo.sqlite", "--dim", "8", "--iter", "1", "--threads", "1", "--query", "cat"],
            ["train", "all", "--corpus", corpus, "--out", dir + "/t.sqlite"] + train,
            ["train", "vocab", "--corpus", corpus, "--out", dir + "/vocab.txt", "--min-count", "2"],
            ["train", "cooccur", "--corpus", corpus, "--vocab", dir + "/vocab.txt", "--out", dir + "/co.bin"],
            ["train", "glove", "--vocab", dir + "/vocab.txt", "--cooccur", dir + "/co.bin", "--out", dir + "/g.sqlite",
             "--dim", "8", "--iter", "1", "--threads", "1"],
            ["import", vec, "--out", dir + "/i.sqlite"],
            ["export", store, "--format", "glove", "--out", dir + "/e.txt"],
            ["info", store],
            ["vector", store, "kittens"],
            ["nearest", store, "king", "cat", "-k", "3"],
            ["analogy", store, "man", "king", "woman"],
            ["similarity", store, "cat", "dog"],
            ["index", "build", store, "--threads", "1", "--ef-construction", "20"],
            ["index", "check", store, "--sample", "5", "-k", "3", "--ef", "4", "16"],
            ["index", "info", store],
            ["index", "drop", store],
            ["quantize", store, "--to", "f16", "--out", dir + "/q16.sqlite"],
            ["doesnt-match", store, "breakfast", "lunch", "dinner", "car"],
            ["evaluate", "analogies", store, questions],
            ["evaluate", "similarity", store, pairs],
            ["evaluate", "misspellings", store, "--words", "10"],
            ["evaluate", "recall", dir + "/q16.sqlite", "--reference", store, "--sample", "5", "-k", "3"],
            ["subword", "fit", dir + "/i.sqlite", "--epochs", "1"],
            ["subword", "train", "--corpus", corpus, "--vocab-size", "40", "--out", bpeStore],
            ["subword", "encode", bpeStore, corpus],
            ["subword", "export", bpeStore, "--out", dir + "/tokenizer.json"],
            ["subword", "import", dir + "/tokenizer.json", "--out", dir + "/i.sqlite"],
            ["classify", "train", store, "--train", labeled, "--name", "topic", "--epochs", "2", "--threads", "1"],
            ["classify", "predict", store, "--name", "topic", labeled],
            ["classify", "evaluate", store, "--name", "topic", labeled],
            ["classify", "list", store],
            ["classify", "adapt", store, "--source", labeled, "--target-unlabeled", target, "--name", "adapted", "--test", labeled,
             "--method", "source-only", "--epochs", "1", "--threads", "1"],
            ["classify", "info", store, "--name", "adapted"],
            ["classify", "compare", store, "--source", labeled, "--target-unlabeled", target, "--test", labeled,
             "--method", "coral", "--epochs", "1", "--threads", "1", "--report", dir + "/adapt.json"],
        ]
        let covered = Set(runs.map { $0.prefix(2).joined(separator: " ") } + runs.map { $0[0] })
        for c in try commands() where !Self.longRunning.contains(c.name.joined(separator: " ")) {
            #expect(covered.contains(c.name.joined(separator: " ")), "no --json run for \(c.name): add one to this table")
        }
        for args in runs {
            let r = try cli.wordshift(args + ["--json", "--quiet"])
            let name = args.prefix(2).joined(separator: " ")
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(r.stderr.isEmpty, "\(name) wrote to standard error with --quiet: \(r.stderr)")
            let documents = args[...1] == ["subword", "encode"] ? r.stdout.split(separator: "\n").map(String.init) : [r.stdout]
            #expect(!documents.isEmpty)
            for d in documents { #expect((try? cli.json(d)) != nil, "\(name) --json printed no JSON: \(r.stdout.prefix(300))") }
        }
        // The report file holds the same JSON as standard output.
        let report = try String(contentsOfFile: dir + "/adapt.json", encoding: .utf8)
        #expect((try? cli.json(report)) as? [String: Any] != nil)
    }

    static func smallCorpus(in dir: String) -> String { CLITests.smallCorpus(in: dir) }
}
