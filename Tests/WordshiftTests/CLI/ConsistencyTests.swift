import Foundation
import Testing

extension CLITests {
    /// Runs the binary with standard output and standard error on one pipe, as `2>&1 | cat` does.
    func wordshiftMerged(_ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestData.cliBinary)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func smallCorpus(in dir: String) -> String {
        var text = ""
        for i in 0..<300 { text += "the cat sat on the mat \(i % 7) while the dog ran to the park \(i % 5)\n" }
        return Scratch.write(text, name: "c.txt", in: dir)
    }

    @Test func messagesAndProgressKeepTheirOrderInAPipe() throws {
        let dir = TestData.scratchDirectory()
        let corpus = Self.smallCorpus(in: dir)
        let r = try wordshiftMerged(["demo", "--corpus", corpus, "--out", dir + "/d.sqlite", "--dim", "8", "--iter", "2",
                                     "--threads", "1", "--query", "cat"])
        #expect(r.status == 0, "\(r.output)")
        let lines = r.output.split(separator: "\n").map(String.init)
        func line(_ prefix: String) -> Int? { lines.firstIndex { $0.hasPrefix(prefix) } }
        let order = ["Training ", "vocabulary: ", "co-occurrence: ", "iter 1/2  cost ", "iter 2/2  cost ", "  ", "cat: "].map(line)
        #expect(order.allSatisfy { $0 != nil }, "\(r.output)")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(r.output)")
        // No progress bar escapes into a pipe.
        #expect(!r.output.contains("\u{1B}["))
    }

    @Test func quietMeansNothingOnStandardError() throws {
        let dir = TestData.scratchDirectory()
        let corpus = Self.smallCorpus(in: dir)
        let r = try wordshift(["train", "--corpus", corpus, "--out", dir + "/a.sqlite", "--dim", "8", "--iter", "2",
                               "--min-count", "2", "--threads", "1", "--quiet"])
        #expect(r.status == 0 && r.stderr.isEmpty && r.stdout.hasPrefix("done in "), "\(r.stderr)")
        let loud = try wordshift(["train", "--corpus", corpus, "--out", dir + "/b.sqlite", "--dim", "8", "--iter", "2",
                                  "--min-count", "2", "--threads", "1"])
        #expect(loud.status == 0 && loud.stderr.contains("iter 2/2  cost ") && !loud.stderr.contains("done in "), "\(loud.stderr)")
        #expect(loud.stdout.hasPrefix("done in "), "\(loud.stdout)")
    }
}
