import Foundation
import Testing
@testable import Wordshift

/// Quantized stores: float16 and int8 copies answer every query close to the float32 original,
/// are marked so that older readers refuse them, and damaged rows are errors.
@Suite("Quantized stores")
struct QuantizeTests {
    @Test func float16AndInt8CopiesAnswerLikeTheOriginal() throws {
        let dir = TestData.scratchDirectory("wordshift-quantize")
        let original = dir + "/planted.sqlite"
        try PlantedVectors.writeStore(at: original)
        let reference = try WordVectors(path: original)
        for (encoding, tolerance) in [(VectorEncoding.float16, Float(1e-3)), (.int8, Float(2e-2))] {
            let out = dir + "/\(encoding.rawValue).sqlite"
            let summary = try StoreQuantizer.quantize(original, to: encoding, out: out)
            #expect(summary.rows == PlantedVectors.words.count && summary.encoding == encoding)
            let store = try VectorStore(path: out)
            #expect(store.encoding == encoding && store.meta[MetaKey.vectorEncoding] == encoding.rawValue)
            #expect(try store.database.pragmaInt("user_version") == StoreSchema.chunkedVersion)
            #expect(StoreSchema.chunkedVersion > StoreSchema.quantizedVersion, "a version-2 reader must refuse it")
            // Rows have the encoding's size.
            let blob = try store.database.prepare("SELECT length(vectors) / (length(norms) / 8) FROM vector_chunks WHERE chunk = 0")
            #expect(try blob.step() && blob.int(0) == encoding.rowBytes(dimension: store.dimension))
            let q = try WordVectors(path: out)
            for w in ["king", "cat", "lunch"] {
                let a = try reference.nearest(to: w, k: 3), b = try q.nearest(to: w, k: 3)
                #expect(a.map(\.word) == b.map(\.word), "\(encoding) \(w)")
                for (x, y) in zip(a, b) { #expect(abs(x.score - y.score) < tolerance) }
                let u = try #require(try store.lookup(w)).unit
                #expect(abs(VectorMath.norm(u) - 1) < 1e-5, "decoded rows are unit vectors")
                let original = try #require(try VectorStore(path: original).vector(for: w))
                let decoded = try #require(try store.vector(for: w))
                #expect(VectorMath.cosine(original, decoded) > 1 - tolerance)
            }
            #expect(try q.analogy(a: "man", b: "king", c: "woman", k: 1).map(\.word) == ["queen"])
            #expect(abs(try q.similarity("cat", "dog") - reference.similarity("cat", "dog")) < tolerance)
            // Export restores float32 files from it.
            let exported = dir + "/\(encoding.rawValue).vec"
            #expect(try VectorImport.export(store: store, to: exported, format: .word2vecText) == PlantedVectors.words.count)
            // A quantized store is not quantized again.
            #expect(throws: WordshiftError.self) { try StoreQuantizer.quantize(out, to: .int8, out: dir + "/again.sqlite") }
        }
        #expect(throws: WordshiftError.self) { try StoreQuantizer.quantize(original, to: .float32, out: dir + "/f32.sqlite") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/f32.sqlite"))
        #expect(Scratch.contents(dir).allSatisfy { !$0.contains("wordshift-tmp") })
    }

    @Test func aDamagedQuantizedRowIsAnError() throws {
        let dir = TestData.scratchDirectory("wordshift-quantize")
        try PlantedVectors.writeStore(at: dir + "/p.sqlite")
        _ = try StoreQuantizer.quantize(dir + "/p.sqlite", to: .int8, out: dir + "/q.sqlite")
        let db = try SQLiteConnection(path: dir + "/q.sqlite", mode: .writer)
        try db.execute("UPDATE vector_chunks SET vectors = substr(vectors, 1, 5) WHERE chunk = 0")
        #expect(throws: WordshiftError.self) { try VectorStore(path: dir + "/q.sqlite").loadIndex() }
        try db.execute("UPDATE meta SET value = 'float8' WHERE key = 'vector_encoding'")
        #expect(throws: WordshiftError.self) { try VectorStore(path: dir + "/q.sqlite") }
    }

    @Test func encodingsRoundTripWithinTheirPrecision() throws {
        var rng = SeededRandom(seed: 4)
        let d = 37
        let v = VectorMath.normalized((0..<d).map { _ in rng.nextUnitFloat() - 0.5 })
        for (e, tol) in [(VectorEncoding.float32, Float(0)), (.float16, Float(1e-3)), (.int8, Float(1.5e-2))] {
            var bytes = [UInt8](repeating: 0, count: try #require(e.rowBytes(dimension: d)))
            let encoded = v.withUnsafeBufferPointer { u in bytes.withUnsafeMutableBytes { e.encode(u.baseAddress!, dimension: d, into: $0) } }
            #expect(encoded)
            // A buffer of another size is refused, untouched.
            var long = [UInt8](repeating: 7, count: bytes.count + 1)
            #expect(!v.withUnsafeBufferPointer { u in long.withUnsafeMutableBytes { e.encode(u.baseAddress!, dimension: d, into: $0) } })
            #expect(long.allSatisfy { $0 == 7 })
            var out = [Float](repeating: 0, count: d)
            let ok = bytes.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { e.decode(b, into: $0.baseAddress!, dimension: d) } }
            #expect(ok)
            for j in 0..<d { #expect(abs(out[j] - v[j]) <= tol, "\(e) \(j)") }
            let short = Array(bytes.dropLast())
            #expect(!short.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { e.decode(b, into: $0.baseAddress!, dimension: d) } })
        }
    }
}
