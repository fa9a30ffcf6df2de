import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Wordshift

/// `wordshift serve` as a real process on a free loopback port: every endpoint, refusals, a
/// store written by another process while serving, and shutdown on SIGTERM and SIGINT.
@Suite(.serialized) struct ServeTests {
    /// A store with stems (for neighbours and unseen inflections), sentiment words, a fitted
    /// n-gram table and one classifier head.
    static let store: String = {
        let dir = TestData.scratchDirectory()
        var words: [String] = [], values: [Float] = []
        func add(_ w: String, _ v: [Float]) { words.append(w); values += v }
        let stems = ["walk", "talk", "jump", "swim"]
        for (i, stem) in stems.enumerated() {
            for (j, suffix) in ["", "s", "ed", "ing", "er", "ers"].enumerated() {
                var v = [Float](repeating: 0, count: 8)
                v[i] = 1
                v[6] = Float(j) * 0.05
                add(stem + suffix, v)
            }
        }
        for (j, w) in ["good", "great", "fine", "lovely"].enumerated() { add(w, [0, 0, 0, 0, 1, 0, Float(j) * 0.05, 0.1]) }
        for (j, w) in ["bad", "awful", "poor", "boring"].enumerated() { add(w, [0, 0, 0, 0, 0, 1, Float(j) * 0.05, 0.1]) }
        for (j, w) in ["the", "movie", "food", "was", "really", "quite"].enumerated() { add(w, [0.1, 0.1, 0.1, 0.1, 0, 0, 0, 1 + Float(j) * 0.1]) }
        let path = dir + "/toy.sqlite"
        do {
            let src = try Scratch.file(VectorTable(words: words, dimension: 8, values: values), format: .word2vecBinary, dir: dir)
            _ = try VectorImport.importFile(src, to: path)
            let index = try VectorStore(path: path).loadIndex()
            var o = NgramFit.Options()
            o.ngrams = CharNgrams(minN: 3, maxN: 5, buckets: 50_000)
            o.epochs = 40
            let table = NgramFit.fit(index: index, options: o).0
            try StoreUpdate.run(path) { try table.write(to: $0) }
            let trained = try Classifier.train(index: index, train: ClassifyFixtures.toyData(200),
                                               config: ClassifyFixtures.config(index, epochs: 10))
            _ = try HeadStore.save(trained.head, name: "sentiment", metrics: trained.validation, to: path)
        } catch {
            Issue.record("cannot build the test store: \(error)")
        }
        return path
    }()

    /// A running `wordshift serve`, stopped (SIGKILL as a last resort) when the test ends.
    final class Server {
        let process = Process()
        let base: String
        let stderr = Pipe()

        init(_ stores: [String], extra: [String] = []) throws {
            process.executableURL = URL(fileURLWithPath: TestData.cliBinary)
            process.arguments = ["serve"] + stores + ["--port", "0"] + extra
            let out = Pipe()
            process.standardOutput = out
            process.standardError = stderr
            try process.run()
            // The first stdout line names the bound address.
            var line = Data()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let byte = out.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte == Data([10]) { break }
                line += byte
            }
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("listening on http://") else {
                process.terminate()
                throw WordshiftError.invalidArgument("server did not start: \(text) \(String(decoding: stderr.fileHandleForReading.availableData, as: UTF8.self))")
            }
            base = String(text.dropFirst("listening on ".count).dropLast())  // "http://127.0.0.1:PORT"
        }

        /// Sends `signal` and waits (bounded) for the exit status.
        func stop(_ signal: Int32 = SIGTERM, within seconds: Double = 20) -> Int32? {
            kill(process.processIdentifier, signal)
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return nil }
            return process.terminationStatus
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
    }

    struct Reply {
        var status: Int
        var body: Data
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var errorMessage: String { ((json["error"] as? [String: Any])?["message"] as? String) ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func request(_ url: String, method: String = "GET", body: Data? = nil) async throws -> Reply {
        var r = URLRequest(url: try #require(URL(string: url)))
        r.httpMethod = method
        r.httpBody = body
        r.timeoutInterval = 30
        if body != nil { r.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: r)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }

    func get(_ s: Server, _ path: String) async throws -> Reply { try await Self.request(s.base + path) }

    /// The (word, score) pairs of a nearest-neighbour reply.
    static func neighbors(_ r: Reply) -> [(String, Double)] {
        ((r.json["neighbors"] as? [[String: Any]]) ?? []).map { (($0["word"] as? String) ?? "", ($0["score"] as? Double) ?? .nan) }
    }

    @Test func everyEndpointAnswers() async throws {
        let server = try Server([Self.store])
        defer { _ = server.stop() }

        let health = try await get(server, "/health")
        #expect(health.status == 200 && health.json["status"] as? String == "ok")
        let stores = health.json["stores"] as? [[String: Any]]
        #expect(stores?.first?["name"] as? String == "toy" && stores?.first?["subwords"] as? Bool == true)
        #expect(((stores?.first?["heads"] as? [[String: Any]])?.first?["name"] as? String) == "sentiment")

        let near = try await get(server, "/api/nearest?word=walk&k=3")
        #expect(near.status == 200)
        let neighbours = (near.json["neighbors"] as? [[String: Any]])?.compactMap { $0["word"] as? String } ?? []
        #expect(neighbours.count == 3 && neighbours.allSatisfy { $0.hasPrefix("walk") && $0 != "walk" }, "\(neighbours)")
        #expect(near.json["source"] as? String == "vocabulary")

        let unseen = try await get(server, "/api/nearest?store=toy&word=walkings&k=1")
        #expect(unseen.json["source"] as? String == "subwords")
        #expect(((unseen.json["neighbors"] as? [[String: Any]])?.first?["word"] as? String)?.hasPrefix("walk") == true)

        let analogy = try await get(server, "/api/analogy?a=walk&b=walks&c=talk&k=3&method=3cosmul")
        #expect(analogy.status == 200 && (analogy.json["answers"] as? [Any])?.count == 3)

        let sim = try await get(server, "/api/similarity?first=good&second=great")
        let bad = try await get(server, "/api/similarity?first=good&second=awful")
        #expect(sim.status == 200)
        #expect((sim.json["similarity"] as? Double ?? 0) > (bad.json["similarity"] as? Double ?? 1))

        let vector = try await get(server, "/api/vector?word=jump")
        #expect((vector.json["vector"] as? [Double])?.count == 8)

        let odd = try await get(server, "/api/doesnt-match?words=walk,walks,walked,good")
        #expect(odd.json["odd"] as? String == "good")

        let seg = try await get(server, "/api/subwords?word=walkings")
        #expect(seg.json["inVocabulary"] as? Bool == false)
        let grams = seg.json["ngrams"] as? [[String: Any]] ?? []
        #expect(grams.contains { $0["ngram"] as? String == "<wa" && $0["known"] as? Bool == true })

        let map = try await get(server, "/api/map?word=walk&k=10")
        let points = map.json["points"] as? [[String: Any]] ?? []
        #expect(points.count == 11 && points.first?["query"] as? Bool == true)
        #expect(points.allSatisfy { ($0["x"] as? Double)?.isFinite == true && ($0["y"] as? Double)?.isFinite == true })

        let body = try JSONSerialization.data(withJSONObject: ["text": "the movie was really great and lovely", "head": "sentiment"])
        let cls = try await Self.request(server.base + "/api/classify", method: "POST", body: body)
        #expect(cls.status == 200, "\(cls.text)")
        #expect(cls.json["label"] as? String == "pos")
        let tokens = cls.json["tokens"] as? [[String: Any]] ?? []
        #expect(tokens.count == 7)
        let great = tokens.first { $0["token"] as? String == "great" }?["contribution"] as? Double ?? 0
        let the = tokens.first { $0["token"] as? String == "the" }?["contribution"] as? Double ?? 1
        #expect(great > the, "a sentiment word must count more than a filler")

        let spec = try await get(server, "/openapi.json")
        let committed = try String(contentsOfFile: TestData.repoRoot + "/docs/openapi.json", encoding: .utf8)
        #expect(spec.text.trimmingCharacters(in: .whitespacesAndNewlines) == committed.trimmingCharacters(in: .whitespacesAndNewlines),
                "docs/openapi.json and the served spec differ: run tools/embed-server-assets.sh")
        let paths = (spec.json["paths"] as? [String: Any])?.keys.sorted() ?? []
        #expect(paths.contains("/api/nearest") && paths.contains("/api/classify") && paths.contains("/health"))

        let page = try await get(server, "/")
        let html = try String(contentsOfFile: TestData.repoRoot + "/Sources/WordshiftServer/Assets/explorer.html", encoding: .utf8)
        #expect(page.text.trimmingCharacters(in: .whitespacesAndNewlines) == html.trimmingCharacters(in: .whitespacesAndNewlines),
                "the served page and Assets/explorer.html differ: run tools/embed-server-assets.sh")
        #expect(!page.text.contains("http://") && !page.text.contains("https://"), "the page must not load anything from outside")
    }

    @Test func badRequestsGetJSONErrors() async throws {
        let server = try Server([Self.store], extra: ["--max-words", "4", "--max-k", "50", "--max-body-bytes", "2048"])
        defer { _ = server.stop() }
        let cases: [(String, Int, String)] = [
            ("/api/nearest", 400, "missing parameter \"word\""),
            ("/api/nearest?word=", 400, "empty"),
            ("/api/nearest?word=walk&k=0", 400, "k must be"),
            ("/api/nearest?word=walk&k=abc", 400, "k must be"),
            ("/api/nearest?word=walk&k=51", 400, "k must be"),
            ("/api/nearest?word=walk&store=nope", 404, "no store named \"nope\""),
            ("/api/nearest?word=qqqq", 404, "not in store"),
            ("/api/nearest?word=" + String(repeating: "a", count: 300), 400, "longer than"),
            ("/api/analogy?a=walk&b=walks&c=talk&method=cos", 400, "method must be"),
            ("/api/doesnt-match?words=walk", 400, "at least two"),
            ("/api/doesnt-match?words=a,b,c,d,e", 400, "at most 4"),
            ("/api/map?word=walk&k=201", 400, "k must be"),
            ("/no/such/path", 404, "no such endpoint"),
        ]
        for (path, status, message) in cases {
            let r = try await get(server, path)
            #expect(r.status == status, "\(path): \(r.status) \(r.text)")
            #expect(r.errorMessage.contains(message), "\(path): \(r.text)")
            #expect((r.json["error"] as? [String: Any])?["status"] as? Int == status)
        }
        let url = server.base + "/api/classify"
        let big = try await Self.request(url, method: "POST", body: Data(("{\"text\": \"" + String(repeating: "good ", count: 1_000) + "\"}").utf8))
        #expect(big.status == 413 && big.errorMessage.contains("2048"))
        let notJSON = try await Self.request(url, method: "POST", body: Data("text=good".utf8))
        #expect(notJSON.status == 400 && notJSON.errorMessage.contains("JSON"))
        let noText = try await Self.request(url, method: "POST", body: Data("{\"head\": \"sentiment\"}".utf8))
        #expect(noText.status == 400 && noText.errorMessage.contains("text"))
        let noHead = try await Self.request(url, method: "POST", body: Data("{\"text\": \"good\", \"head\": \"x\"}".utf8))
        #expect(noHead.status == 404 && noHead.errorMessage.contains("no head"))
        let wrongMethod = try await Self.request(server.base + "/api/nearest?word=walk", method: "POST", body: Data("{}".utf8))
        #expect((400..<500).contains(wrongMethod.status) && !wrongMethod.errorMessage.isEmpty)
        // Still serving after all that.
        #expect(try await get(server, "/api/nearest?word=walk").status == 200)
    }

    @Test func concurrentQueriesAreBatchedWithTheSameAnswers() async throws {
        let server = try Server([Self.store])
        defer { _ = server.stop() }
        let words = ["walk", "talks", "jumped", "swimming", "good", "awful", "walkings", "movie"]
        var single: [String: Reply] = [:]
        for w in words { single[w] = try await get(server, "/api/nearest?word=\(w)&k=5") }
        let base = server.base
        let replies = try await withThrowingTaskGroup(of: (String, Reply).self) { group in
            for i in 0..<64 {
                let w = words[i % words.count]
                group.addTask { (w, try await Self.request(base + "/api/nearest?word=\(w)&k=5")) }
            }
            var all: [(String, Reply)] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(replies.count == 64)
        for (w, r) in replies {
            #expect(r.status == 200)
            // The same neighbours in the same order with the same scores, bit for bit: a batch's
            // candidates are rescored with the single query's dot product (`nearestBatch`).
            let one = try #require(single[w])
            let batched = Self.neighbors(r), alone = Self.neighbors(one)
            #expect(batched.map(\.0) == alone.map(\.0), "\(w): batched neighbours differ from the single query's")
            #expect(batched.count == 5 && zip(batched, alone).allSatisfy { $0.1 == $1.1 }, "\(w): scores differ")
            #expect(r.text == one.text, "\(w): batched answer differs from the single query's")
            #expect(r.json["source"] as? String == one.json["source"] as? String)
        }
    }

    @Test func keepsAnsweringWhileAnotherProcessWritesTheStore() async throws {
        // A copy, so the other tests' store is left alone.
        let dir = TestData.scratchDirectory()
        let path = dir + "/live.sqlite"
        try FileManager.default.copyItem(atPath: Self.store, toPath: path)
        let server = try Server([path])
        defer { _ = server.stop() }
        let before = try await get(server, "/api/nearest?word=walk&k=5").text
        // Another process adds a head (a write transaction on the same file) while we query.
        let data = Scratch.write((0..<400).map { "\($0 % 2 == 0 ? "pos" : "neg")\t\($0 % 2 == 0 ? "good great" : "bad awful") the movie" }
            .joined(separator: "\n") + "\n", name: "train.tsv", in: dir)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: TestData.cliBinary)
        writer.arguments = ["classify", "train", path, "--train", data, "--name", "second", "--epochs", "50", "--quiet"]
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        var answered = 0
        while writer.isRunning && answered < 2_000 {
            let r = try await get(server, "/api/nearest?word=walk&k=5")
            #expect(r.status == 200 && r.text == before)
            answered += 1
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        #expect(answered > 0)
        // A writer holding an exclusive lock (no reader of the file could read now) does not
        // stop the answers either: the server reads its stores only at start.
        let db = try SQLiteConnection(path: path, readOnly: false)
        try db.execute("BEGIN EXCLUSIVE; CREATE TABLE held_by_test(x)")
        for _ in 0..<20 {
            let r = try await get(server, "/api/similarity?first=walk&second=talk")
            #expect(r.status == 200, "\(r.text)")
        }
        #expect(try await get(server, "/api/nearest?word=walk&k=5").text == before)
        try db.execute("ROLLBACK")
        #expect(try await get(server, "/health").status == 200)
    }

    @Test func usesTheStoresIndexUnlessExact() async throws {
        let copy = TestData.scratchDirectory() + "/indexed.sqlite"
        try FileManager.default.copyItem(atPath: Self.store, toPath: copy)
        let vectors = try VectorStore(path: copy).loadIndex()
        try HNSWStore.save(try HNSWIndex.build(over: vectors, threads: 1), to: copy)
        func searchMode(_ server: Server) async throws -> String? {
            ((try await get(server, "/health").json["stores"] as? [[String: Any]])?.first?["search"]) as? String
        }
        let indexed = try Server([copy], extra: ["--ef", "64"])
        defer { _ = indexed.stop() }
        let exact = try Server([copy], extra: ["--exact"])
        defer { _ = exact.stop() }
        #expect(try await searchMode(indexed)?.hasPrefix("HNSW index") == true)
        #expect(try await searchMode(exact) == "exact")
        // 34 rows with ef 64: the graph search visits every row, so both answer alike.
        for word in ["walk", "good", "movie", "walkings"] {
            let a = Self.neighbors(try await get(indexed, "/api/nearest?word=\(word)&k=5")).map(\.0)
            let b = Self.neighbors(try await get(exact, "/api/nearest?word=\(word)&k=5")).map(\.0)
            #expect(a.count == 5 && a == b, "\(word): \(a) vs \(b)")
        }
        let analogy = try await get(indexed, "/api/analogy?a=walk&b=walks&c=talk&k=3")
        #expect(analogy.status == 200 && (analogy.json["answers"] as? [Any])?.count == 3)
    }

    @Test func stopsCleanlyOnSIGTERMAndSIGINT() async throws {
        for signal in [SIGTERM, SIGINT] {
            let server = try Server([Self.store])
            #expect(try await get(server, "/health").status == 200)
            let status = server.stop(signal)
            #expect(status == 0, "signal \(signal): exit status \(String(describing: status))")
            let err = String(decoding: server.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(err.contains("stopped"), "\(err)")
            // The port is free again: nothing answers there.
            await #expect(throws: (any Error).self) { _ = try await get(server, "/health") }
        }
    }

    @Test func refusesBadArguments() throws {
        for args in [["serve"], ["serve", "/no/such.sqlite"], ["serve", Self.store, "--port", "70000"], ["serve", Self.store, "--max-k", "0"],
                     ["serve", Self.store, "--ef", "0"], ["serve", Self.store, "--exact", "--ef", "10"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TestData.cliBinary)
            p.arguments = args
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus != 0, "\(args)")
        }
        // Not a store: a clear error, not a crash.
        let notStore = Scratch.write("not a store", name: "x.sqlite")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestData.cliBinary)
        p.arguments = ["serve", notStore, "--port", "0"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 1 && text.contains("x.sqlite"), "\(text)")
    }
}
