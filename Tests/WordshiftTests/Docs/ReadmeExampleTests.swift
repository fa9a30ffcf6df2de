import Foundation
import Testing

@Suite("README library example")
struct ReadmeExampleTests {
    static let source = TestData.repoRoot + "/Examples/ReadmeExample/main.swift"

    @Test func readmeShowsTheExampleVerbatim() throws {
        let readme = try String(contentsOfFile: TestData.repoRoot + "/README.md", encoding: .utf8)
        let example = try String(contentsOfFile: Self.source, encoding: .utf8)
        #expect(example.hasPrefix("import Wordshift\n") && example.hasSuffix("\n"))
        #expect(readme.contains("```swift\n" + example + "```\n"),
                "README.md's library example differs from Examples/ReadmeExample/main.swift: keep them identical")
    }

    /// Runs the compiled example where it finds a small corpus and the planted store, and checks
    /// what it prints.
    @Test func theExampleRunsAndGivesTheRightAnswers() throws {
        let dir = TestData.scratchDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/corpora/data/corpus", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/vectors", withIntermediateDirectories: true)
        var text = ""
        for i in 0..<300 { text += "the cat sat on the mat \(i % 7) while the dog ran to the park \(i % 5)\n" }
        _ = Scratch.write(text, name: "enwiki-2015-head.txt", in: dir + "/corpora/data/corpus")
        try PlantedVectors.writeStore(at: dir + "/vectors/demo.sqlite")

        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestData.binary("ReadmeExample"))
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(errors)")
        #expect(errors.isEmpty, "the library wrote to standard error: \(errors)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("iter ") && $0.contains(" cost ") }.count == 15, "\(output)")
        #expect(lines.contains { $0.hasPrefix("trained ") && $0.hasSuffix(" pairs") })
        #expect(fm.fileExists(atPath: dir + "/vectors/mine.sqlite"))
        #expect(lines.contains { $0.hasPrefix("prince ") }, "\(output)")
        #expect(lines.contains("man : king :: woman : queen"), "\(output)")
        #expect(lines.contains("odd one out: car"), "\(output)")
        #expect(lines.contains("kittens from subwords kitten"), "\(output)")
    }
}
