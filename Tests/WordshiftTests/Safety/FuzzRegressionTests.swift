import Foundation
import Testing
import WordshiftFuzzTargets

/// Issue 12 §9: every input that once crashed, hung or blew up a reader (found by the fuzzer,
/// tools/fuzz.sh, or by the probes) is replayed through the same entry the fuzzer uses.
/// A crash ends the test process; a hang or a slow input fails here. Inputs live in
/// Tests/WordshiftTests/Fixtures/fuzz/TARGET/; an input named `*.reject.*` must be refused with
/// an error, others only must not crash.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = TestData.repoRoot + "/Tests/WordshiftTests/Fixtures/fuzz"

    static func inputs(_ target: FuzzTarget) -> [String] {
        let dir = root + "/" + target.rawValue
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { dir + "/" + $0 }
    }

    @Test("the kept inputs are there (the suite replays something)")
    func inputsExist() {
        let all = FuzzTarget.allCases.flatMap { Self.inputs($0) }
        #expect(all.count >= 6, "found \(all.count) inputs under \(Self.root)")
    }

    @Test("each kept input gets an answer, quickly", arguments: FuzzTarget.allCases)
    func replay(_ target: FuzzTarget) throws {
        let runner = try FuzzRunner(target: target)
        for path in Self.inputs(target) {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            let started = Date()
            let outcome = runner.run([UInt8](bytes))
            let seconds = Date().timeIntervalSince(started)
            // The fuzzer's limit is 1 s on a release build; a debug build gets more room.
            #expect(seconds < 10, "\(path) took \(seconds) s")
            if path.contains(".reject.") {
                #expect(outcome != nil, "\(path) was accepted; it must be refused")
            }
        }
    }
}
