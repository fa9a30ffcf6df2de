import Foundation
import Testing
@testable import Wordshift
import WordshiftFuzzTargets

/// Issue 12 §9: every input that once crashed, hung or blew up a reader (found by the fuzzer,
/// tools/fuzz.sh, or by the issue's probes) is replayed through the same entry the fuzzer uses.
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

    /// The store target reads what the format-4 readers read: float32, float16, int8 and pq rows and
    /// an HNSW index (with a query through it). A store whose index is damaged must be refused
    /// through the target, which shows that the target loads the index.
    @Test("the store target loads quantized rows and the HNSW index", arguments: VectorEncoding.allCases)
    func storeTargetReachesTheIndex(_ encoding: VectorEncoding) throws {
        let dir = TestData.scratchDirectory("wordshift-fuzz-store")
        // Product quantization needs at least one row per centroid.
        let rows = encoding == .pq ? ProductQuantizer.centroids + 44 : 40
        let src = try Scratch.file(Scratch.table(rows, 6, seed: 4), format: .word2vecText, dir: dir)
        let plain = dir + "/plain.sqlite", path = dir + "/indexed.sqlite"
        _ = try VectorImport.importFile(src, to: plain)
        if encoding == .float32 {
            try FileManager.default.copyItem(atPath: plain, toPath: path)
        } else {
            _ = try StoreQuantizer.quantize(plain, to: encoding, out: path)
        }
        let vectors = try VectorStore(path: path).loadIndex()
        let index = try HNSWIndex.build(over: vectors, parameters: HNSWParameters(m: 4, efConstruction: 16), threads: 1)
        try HNSWStore.save(index, to: path)
        let runner = try FuzzRunner(target: .store)
        let good = try #require(FileManager.default.contents(atPath: path))
        let outcome = runner.run([UInt8](good))
        #expect(outcome == nil, "\(encoding): \(outcome ?? "")")
        do {
            let db = try SQLiteConnection(path: path, readOnly: false)
            try db.execute("UPDATE ann_index SET checksum = '0'")
        }
        let damaged = try #require(FileManager.default.contents(atPath: path))
        let refused = runner.run([UInt8](damaged)) ?? ""
        #expect(refused.contains("approximate-search index is damaged"), "\(encoding): \(refused)")
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
