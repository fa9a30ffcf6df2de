import Foundation
import Synchronization
import Testing
@testable import Wordshift

/// Collects the events a library call reports.
final class EventLog: Sendable {
    private let events = Mutex<[ProgressEvent]>([])
    var handler: ProgressHandler { { [self] e in events.withLock { $0.append(e) } } }
    var all: [ProgressEvent] { events.withLock { $0 } }
    func stages(_ kind: ProgressEvent.Kind) -> [String] { all.filter { $0.kind == kind }.map(\.stage) }
    func messages(_ kind: ProgressEvent.Kind) -> [String] { all.filter { $0.kind == kind }.compactMap(\.message) }
}

@Suite("Progress events")
struct ProgressTests {
    @Test func trainingReportsEveryStageInOrder() throws {
        let path = try TrainingFixtures.wikiHead(bytes: 20_000)
        let log = EventLog()
        _ = try GloVePipeline.train(corpus: [path], out: path + ".p.sqlite", config: TrainingFixtures.config(iterations: 2),
                                    progress: log.handler)
        #expect(log.stages(.begin) == ["counting", "co-occurrence", "shuffle", "iter 1/2", "iter 2/2"])
        #expect(log.stages(.end) == ["counting", "co-occurrence", "shuffle", "iter 1/2", "iter 2/2"])
        let iterationLines = log.all.filter { $0.kind == .end && $0.stage.hasPrefix("iter") }.compactMap(\.message)
        #expect(iterationLines.count == 2 && iterationLines.allSatisfy { $0.hasPrefix("cost ") && $0.hasSuffix("pairs/s") })
        let logs = log.messages(.log)
        #expect(logs.count == 2 && logs[0].hasPrefix("vocabulary: ") && logs[1].hasPrefix("co-occurrence: "), "\(logs)")
        // Every stage is closed before the next one opens, and a stage's counts never go back.
        var open: String?
        var done = 0.0
        for e in log.all {
            switch e.kind {
            case .begin: #expect(open == nil); open = e.stage; done = 0
            case .advance: #expect(e.stage == open && e.done >= done); done = e.done
            case .end: #expect(e.stage == open); open = nil
            case .log: break
            }
        }
        #expect(open == nil)
    }

    @Test func loadingAndFittingReportTheirTotals() throws {
        let dir = TestData.scratchDirectory()
        let store = dir + "/s.sqlite"
        _ = try VectorImport.importFile(try Scratch.file(Scratch.table(300, 8), format: .word2vecText, dir: dir), to: store)
        let log = EventLog()
        let index = try VectorStore(path: store).loadIndex(progress: log.handler)
        var options = NgramFit.Options()
        options.epochs = 3
        _ = NgramFit.fit(index: index, options: options, progress: log.handler)
        let ends = log.all.filter { $0.kind == .end }
        #expect(ends.map(\.stage) == ["loading", "fitting n-grams"])
        #expect(ends.map(\.done) == [300, 3] && ends.map(\.total) == [300, 3])
    }

    @Test func reporterThrottlesAndSerialisesThreads() {
        let log = EventLog()
        let reporter = ProgressReporter(log.handler, interval: 10)
        reporter.begin("work", total: 4000)
        Parallel.run(threads: 4) { _ in for _ in 0..<1000 { reporter.advance(by: 1) } }
        reporter.end("done")
        // One begin, at most one advance (the interval is longer than the test), one end with the full count.
        #expect(log.all.count <= 3)
        #expect(log.all.last == ProgressEvent(kind: .end, stage: "work", done: 4000, total: 4000, message: "done"))
    }
}

@Suite("The library never prints")
struct LibraryOutputTests {
    @Test func noLibrarySourceWritesToTheTerminal() throws {
        let root = TestData.repoRoot + "/Sources/Wordshift"
        let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        let forbidden = [#"(?<![A-Za-z0-9_])(print|debugPrint|dump)\("#, "FileHandle.standardError", "FileHandle.standardOutput", "stderr", "stdout",
                         #"write\([12],"#, "STDERR_FILENO", "STDOUT_FILENO"]
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for f in forbidden { #expect(code.range(of: f, options: .regularExpression) == nil, "\(file):\(n + 1) writes to the terminal: \(code)") }
            }
        }
    }
}
