import Foundation
import Testing
@testable import Wordshift

/// The Swift snippets of the DocC getting-started article, compiled and run here. A test checks
/// that every snippet's lines appear, in order, in this file: change both together.
@Suite("DocC getting-started article")
struct GettingStartedTests {
    static let article = TestData.repoRoot + "/Sources/Wordshift/Wordshift.docc/GettingStarted.md"

    @Test func everySnippetIsCompiledHere() throws {
        let text = try String(contentsOfFile: Self.article, encoding: .utf8)
        let here = try String(contentsOfFile: #filePath, encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let blocks = text.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 4)
        for block in blocks where !block.contains("dependencies:") {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && $0 != "import Wordshift" }
            var from = 0
            for line in lines {
                guard let i = here[from...].firstIndex(of: line) else {
                    Issue.record("GettingStarted.md line not in GettingStartedTests.swift (in order): \(line)")
                    break
                }
                from = i + 1
            }
        }
    }

    @Test func theSnippetsRun() async throws {
        let dir = TestData.scratchDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/vectors", withIntermediateDirectories: true)
        try PlantedVectors.writeStore(at: dir + "/vectors/demo.sqlite")
        var text = ""
        for i in 0..<300 { text += "the cat sat on the mat \(i % 7) while the dog ran to the park \(i % 5)\n" }
        _ = Scratch.write(text, name: "wiki.txt", in: dir)
        var tsv = ""
        for i in 0..<200 { tsv += i % 2 == 0 ? "pos\ta wonderful moving film \(i)\n" : "neg\ta dull boring film \(i)\n" }
        _ = Scratch.write(tsv, name: "reviews.tsv", in: dir)
        try FileManager.default.copyItem(atPath: dir + "/vectors/demo.sqlite", toPath: dir + "/glove.sqlite")
        // The article's paths are relative. Tests in this process use absolute paths only (TestData),
        // so changing the working directory for this test is safe.
        let previous = FileManager.default.currentDirectoryPath
        try #require(FileManager.default.changeCurrentDirectoryPath(dir), "cd \(dir)")
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }

        // Ask word questions
        let vectors = try WordVectors(path: "vectors/demo.sqlite")

        let neighbors = try vectors.nearest(to: "king", k: 10)          // [Neighbor], best first
        let queen = try vectors.analogy(a: "man", b: "king", c: "woman") // man : king :: woman : ?
        let cosine = try vectors.similarity("cat", "dog")
        let odd = try vectors.doesntMatch(["breakfast", "lunch", "dinner", "car"])
        let v = try vectors.vector(for: "kittens")                       // unseen: from its n-grams
        print(vectors.source(of: "kittens") == .subwords)
        #expect(neighbors.count == 10 && queen.first?.word == "queen" && cosine > 0.5 && odd == "car" && v.count == 8)

        // Many readers at once
        let answers = try await withThrowingTaskGroup(of: [Neighbor].self) { group in
            for word in ["king", "cat", "lunch"] {
                group.addTask { try vectors.nearest(to: word, k: 5, options: SearchOptions(threads: 1)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 3)

        // Train vectors and follow the progress
        var glove = GloVeConfig()
        glove.dimension = 100
        glove.iterations = 15
        let summary = try GloVePipeline.train(corpus: ["wiki.txt"], out: "wiki.sqlite", config: glove) { event in
            switch event.kind {
            case .end: if let line = event.message { print(event.stage, line) }  // "iter 01/15  cost 0.08 …"
            case .log: print(event.message ?? "")                               // "vocabulary: 71290 words …"
            case .begin, .advance: break                                         // draw a bar here if you like
            }
        }
        print(summary.vocabularySize, summary.totalSeconds)
        #expect(summary.iterations.count == 15)

        // Classify text
        let store = try VectorStore(path: "glove.sqlite")
        let index = try store.loadIndex()
        let train = try LabeledDataReader.read("reviews.tsv")     // label<TAB>text lines
        let config = ClassifierConfig(features: FeatureConfig(storeCount: index.count), dimension: index.dimension)
        let result = try Classifier.train(index: index, train: train, config: config)
        _ = try HeadStore.save(result.head, name: "sentiment", metrics: result.validation, to: store.path)
        let labels = result.head.predict(["a wonderful, moving film"]).map { result.head.labels[$0] }
        #expect(labels == ["pos"])
    }
}
