import Foundation
import Testing

/// Runs the built `wordshift` binary as a user would.
@Suite struct CLITests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    @discardableResult
    func wordshift(_ args: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestData.cliBinary)
        p.arguments = args
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        if stdin != nil { p.standardInput = input }
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// Batched queries (several words) in a process that may not use OpenBLAS give the same
    /// answers as with whatever the machine has.
    @Test func batchedNearestWithoutOpenBLAS() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(Scratch.table(700, 24, seed: 5), format: .word2vecText, dir: dir)
        let store = dir + "/s.sqlite"
        #expect(try wordshift(["import", src, "--out", store]).status == 0)
        let args = ["nearest", store, "w1", "w2", "w3", "-k", "4", "--json"]
        let builtin = try wordshift(args, environment: ["WORDSHIFT_OPENBLAS": "0"])
        let usual = try wordshift(args)
        #expect(builtin.status == 0, "\(builtin.stderr)")
        let a = try json(builtin.stdout) as? [[String: Any]], b = try json(usual.stdout) as? [[String: Any]]
        func words(_ r: [[String: Any]]?) -> [[String]] {
            (r ?? []).map { (($0["neighbors"] as? [[String: Any]]) ?? []).compactMap { $0["word"] as? String } }
        }
        #expect(words(a).count == 3 && words(a).allSatisfy { $0.count == 4 })
        #expect(words(a) == words(b))
    }

    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: TestData.cliBinary), "build the package first: \(TestData.cliBinary)")
    }

    @Test func importQueryExportFlow() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(Scratch.table(500, 8), format: .word2vecText, dir: dir)
        let store = dir + "/s.sqlite"
        let imported = try wordshift(["import", src, "--out", store, "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let summary = try json(imported.stdout) as? [String: Any]
        #expect((summary?["report"] as? [String: Any])?["rows"] as? Int == 500)

        let near = try wordshift(["nearest", store, "w1", "w2", "-k", "3", "--json"])
        #expect(near.status == 0)
        let results = try json(near.stdout) as? [[String: Any]]
        #expect(results?.count == 2)
        #expect((results?.first?["neighbors"] as? [Any])?.count == 3)

        let again = try wordshift(["import", src, "--out", store])
        #expect(again.status != 0 && again.stderr.contains("--force"))

        let exported = try wordshift(["export", store, "--format", "glove", "--out", dir + "/g.txt"])
        #expect(exported.status == 0)
        let lines = try String(contentsOfFile: dir + "/g.txt", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 500 && lines[0].hasPrefix("w0 "))

        let info = try wordshift(["info", store, "--json"])
        let meta = (try json(info.stdout) as? [String: Any])?["meta"] as? [String: String]
        #expect(meta?["source_format"] == "word2vec-text" && meta?["dimension"] == "8")

        let sim = try wordshift(["similarity", store, "w3", "w3", "--json"])
        #expect(((try json(sim.stdout) as? [String: Any])?["similarity"] as? Double).map { abs($0 - 1) < 1e-5 } == true)
    }

    @Test func unknownWordFailsAndNamesIt() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(Scratch.table(10, 4), format: .word2vecBinary, dir: dir)
        try wordshift(["import", src, "--out", dir + "/s.sqlite", "--quiet"])
        for args in [["nearest", dir + "/s.sqlite", "w1", "nosuchword"], ["vector", dir + "/s.sqlite", "nosuchword"],
                     ["analogy", dir + "/s.sqlite", "w1", "w2", "nosuchword"]] {
            let r = try wordshift(args)
            #expect(r.status != 0)
            #expect(r.stderr.contains("unknown word: \"nosuchword\""), "\(r.stderr)")
        }
    }

    @Test func badInputExitsNonZeroWithLocation() throws {
        let dir = TestData.scratchDirectory()
        let bad = Scratch.write("2 3\na 1 2 3\nb 1 oops 3\n", name: "bad.vec", in: dir)
        let r = try wordshift(["import", bad, "--out", dir + "/s.sqlite"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.vec:3"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/s.sqlite"))
        #expect(Scratch.contents(dir) == ["bad.vec"])
        let missing = try wordshift(["info", dir + "/nope.sqlite"])
        #expect(missing.status != 0 && missing.stderr.contains("nope.sqlite"))
        let notStore = try wordshift(["nearest", bad, "a"])
        #expect(notStore.status != 0 && notStore.stderr.contains("not a Wordshift store"))
    }

    /// `quantize --to pq` from the shell: a JSON summary, queries that say they are approximate
    /// under --exact, and refusals that name the fix.
    @Test func productQuantizeFromTheShell() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(ProductQuantizationTests.clusteredTable(), format: .word2vecText, name: "c.vec", dir: dir)
        let store = dir + "/c.sqlite", pq = dir + "/pq.sqlite"
        #expect(try wordshift(["import", src, "--out", store, "--quiet"]).status == 0)
        let made = try wordshift(["quantize", store, "--to", "pq", "--subquantizers", "6", "--sample", "1000", "--iterations", "5",
                                  "--threads", "2", "--out", pq, "--json", "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let summary = try #require(try json(made.stdout) as? [String: Any])
        #expect(summary["encoding"] as? String == "pq" && summary["subquantizers"] as? Int == 6)
        let near = try wordshift(["nearest", pq, "w1", "-k", "3", "--exact"])
        #expect(near.status == 0 && near.stderr.contains("product-quantized"), "\(near.stderr)")
        // Evaluate and classify-as-features run on the decoded rows.
        var pairs = "", questions = ": section\n", tsv = ""
        for i in 0..<60 { pairs += "w\(i) w\(i + 30) \(i % 7)\n"; questions += "w\(i) w\(i + 1) w\(i + 30) w\(i + 31)\n" }
        for i in 0..<120 { tsv += i % 2 == 0 ? "even\tw0 w30 w60 w\(2 * i)\n" : "odd\tw1 w31 w61 w\(2 * i + 1)\n" }
        let similarity = try wordshift(["evaluate", "similarity", pq, Scratch.write(pairs, name: "p.txt", in: dir), "--json"])
        #expect(similarity.status == 0, "\(similarity.stderr)")
        let analogies = try wordshift(["evaluate", "analogies", pq, Scratch.write(questions, name: "q.txt", in: dir), "--json"])
        #expect(analogies.status == 0, "\(analogies.stderr)")
        let classify = try wordshift(["classify", "train", pq, "--train", Scratch.write(tsv, name: "l.tsv", in: dir), "--name", "parity",
                                      "--epochs", "2", "--threads", "1", "--quiet"])
        #expect(classify.status == 0, "\(classify.stderr)")
        let bad = try wordshift(["quantize", store, "--to", "pq", "--subquantizers", "5", "--out", dir + "/bad.sqlite"])
        #expect(bad.status != 0 && bad.stderr.contains("choose one of 1, 2, 3, 4, 6, 8, 12, 24"), "\(bad.stderr)")
        let notPQ = try wordshift(["quantize", store, "--to", "int8", "--subquantizers", "6", "--out", dir + "/bad.sqlite"])
        #expect(notPQ.status != 0 && notPQ.stderr.contains("--to pq only"), "\(notPQ.stderr)")
        for extra in [["--seed", "1"], ["--sample", "256"], ["--iterations", "3"], ["--no-opq"]] {
            let r = try wordshift(["quantize", store, "--to", "f16", "--out", dir + "/bad.sqlite"] + extra)
            #expect(r.status != 0 && r.stderr.contains("--to pq only"), "\(extra): \(r.stderr)")
        }
        let again = try wordshift(["quantize", store, "--to", "pq", "--out", pq])
        #expect(again.status != 0, "an existing --out is not replaced without --force")
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad.sqlite"))
        // The same at import: straight from the file to a pq store, and pq options refused without --quantize pq.
        let imported = try wordshift(["import", src, "--out", dir + "/direct.sqlite", "--quantize", "pq", "--subquantizers", "6",
                                      "--seed", "1", "--opq", "--json", "--quiet"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let direct = try #require(try json(imported.stdout) as? [String: Any])
        let quantized = try #require(direct["quantized"] as? [String: Any])
        #expect(quantized["encoding"] as? String == "pq" && quantized["subquantizers"] as? Int == 6)
        let info = try wordshift(["info", dir + "/direct.sqlite", "--json"])
        #expect(info.status == 0 && info.stdout.contains("\"pq\""), "\(info.stdout)")
        let stray = try wordshift(["import", src, "--out", dir + "/bad.sqlite", "--quantize", "int8", "--subquantizers", "6"])
        #expect(stray.status != 0 && stray.stderr.contains("--quantize pq only"), "\(stray.stderr)")
        // Given at all is what counts, not differing from the default: the default seed and --opq are refused too.
        for extra in [["--quantize", "int8", "--seed", "1"], ["--opq"], ["--quantize", "f16", "--no-opq"]] {
            let r = try wordshift(["import", src, "--out", dir + "/bad.sqlite"] + extra)
            #expect(r.status != 0 && r.stderr.contains("--quantize pq only"), "\(extra): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad.sqlite"))
        #expect(Scratch.contents(dir).allSatisfy { !$0.contains("wordshift-tmp") }, "\(Scratch.contents(dir))")
    }

    /// `index check --queries` reads words as the store holds them: a word that ends in a
    /// no-break space (kept by the whitespace tokenizer) is found, not trimmed into another word.
    @Test func indexCheckQueriesKeepNonASCIISpace() throws {
        let dir = TestData.scratchDirectory()
        var vec = "40 4\n"
        for i in 0..<40 {
            let word = i == 7 ? "\"det()\"\u{00A0}" : "w\(i)"
            vec += word + " " + (0..<4).map { j in String(Double((i * 5 + j * 3) % 13) / 13 - 0.4) }.joined(separator: " ") + "\n"
        }
        let store = dir + "/s.sqlite"
        #expect(try wordshift(["import", Scratch.write(vec, name: "s.vec", in: dir), "--out", store, "--quiet"]).status == 0)
        #expect(try wordshift(["index", "build", store, "--threads", "1", "--quiet"]).status == 0)
        let queries = Scratch.write("w1\n\"det()\"\u{00A0}\r\n  w3\t\n\n", name: "q.txt", in: dir)
        let check = try wordshift(["index", "check", store, "--queries", queries, "-k", "3", "--ef", "8", "--json", "--quiet"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("\"queries\" : 3") || check.stdout.contains("\"queries\":3"), "\(check.stdout)")
    }

    @Test func trainThenAdaptFromTheTrainedStore() throws {
        let dir = TestData.scratchDirectory()
        var text = ""
        for i in 0..<400 { text += "the cat sat on the mat \(i % 7) while the dog ran to the park \(i % 5)\n" }
        let corpus = Scratch.write(text, name: "c.txt", in: dir)
        let trained = try wordshift(["train", "--corpus", corpus, "--out", dir + "/a.sqlite", "--dim", "8", "--iter", "3",
                                     "--min-count", "2", "--threads", "1", "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let adapted = try wordshift(["train", "--corpus", corpus, "--out", dir + "/b.sqlite", "--init-from", dir + "/a.sqlite",
                                     "--dim", "8", "--iter", "2", "--min-count", "2", "--mu", "0.5", "--json", "--quiet"])
        #expect(adapted.status == 0, "\(adapted.stderr)")
        #expect((try json(adapted.stdout) as? [String: Any])?["anchoredWords"] as? Int ?? 0 > 0)
        let mismatch = try wordshift(["train", "--corpus", corpus, "--out", dir + "/c.sqlite", "--init-from", dir + "/a.sqlite",
                                      "--dim", "16", "--quiet"])
        #expect(mismatch.status != 0 && mismatch.stderr.contains("dimension"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/c.sqlite"))
    }

    @Test func importFromStandardInput() throws {
        let dir = TestData.scratchDirectory()
        let ok = try wordshift(["import", "-", "--out", dir + "/s.sqlite", "--json"], stdin: Data("2 2\nx 1 2\ny 3 4\n".utf8))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(((try json(ok.stdout) as? [String: Any])?["report"] as? [String: Any])?["rows"] as? Int == 2)
        let bad = try wordshift(["import", "-", "--out", dir + "/t.sqlite"], stdin: Data("2 2\nx 1 2\ny 3 oops\n".utf8))
        #expect(bad.status != 0 && bad.stderr.contains("-:3:"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/t.sqlite"))
    }

    @Test func helpListsTheCommands() throws {
        let r = try wordshift(["--help"])
        #expect(r.status == 0)
        for c in ["import", "export", "nearest", "analogy", "evaluate", "train"] { #expect(r.stdout.contains(c)) }
    }
}
