import Foundation
import Testing
@testable import Wordshift

/// Product-quantized stores (`quantize --to pq`): codes decode within a bound, nearest by
/// asymmetric distance agrees with brute force over the decoded rows, learning is seeded and
/// independent of the thread count, and bad settings and damaged codes or codebooks are errors.
@Suite("Product quantization (PQ)")
struct ProductQuantizationTests {
    /// 1,200 words of dimension 24 around 30 seeded cluster centres (clustered like real
    /// embeddings, unlike uniform noise).
    static func clusteredTable(seed: UInt64 = 5) -> VectorTable {
        var rng = SeededRandom(seed: seed)
        let n = 1200, d = 24, clusters = 30
        let centres = (0..<(clusters * d)).map { _ in rng.nextUnitFloat() * 2 - 1 }
        var values: [Float] = []
        for i in 0..<n {
            let c = i % clusters
            for j in 0..<d { values.append(centres[c * d + j] + 0.3 * (rng.nextUnitFloat() * 2 - 1)) }
        }
        return VectorTable(words: (0..<n).map { "w\($0)" }, dimension: d, values: values)
    }

    static func writeClusteredStore(in dir: String) throws -> String {
        let path = dir + "/clustered.sqlite"
        _ = try VectorImport.importFile(try Scratch.file(clusteredTable(), format: .word2vecText, name: "clustered.vec", dir: dir), to: path)
        return path
    }

    static let training = ProductQuantizer.TrainingOptions(subquantizers: 6, sample: 1000, iterations: 15, seed: 3, threads: 2)

    /// `import --quantize`: a vector file goes straight into a quantized store, byte for byte the
    /// store that `quantize` writes from a float32 import, with no temporary file left; a refused
    /// setting leaves neither the store nor the temporary float32 one.
    @Test(arguments: [VectorEncoding.pq, .int8, .float16])
    func importStraightIntoAQuantizedStore(encoding: VectorEncoding) throws {
        let dir = TestData.scratchDirectory("wordshift-pq-import")
        let file = try Scratch.file(Self.clusteredTable(), format: .word2vecText, name: "clustered.vec", dir: dir)
        let direct = dir + "/direct.sqlite"
        let summary = try VectorImport.importFile(file, to: direct, quantize: encoding, training: Self.training)
        #expect(summary.store == direct && summary.report.rows == 1200)
        let q = try #require(summary.quantized)
        #expect(q.encoding == encoding && q.source == file && q.rows == 1200 && q.out == direct)
        let float32 = try Self.writeClusteredStore(in: dir)
        _ = try StoreQuantizer.quantize(float32, to: encoding, out: dir + "/twostep.sqlite", training: Self.training)
        let a = try VectorStore(path: direct), b = try VectorStore(path: dir + "/twostep.sqlite")
        #expect(a.encoding == encoding && a.count == b.count)
        let ia = try a.loadIndex(), ib = try b.loadIndex()
        #expect(ia.words == ib.words && (0..<ia.count).allSatisfy { Array(UnsafeBufferPointer(start: ia.unit($0), count: ia.dimension)) == Array(UnsafeBufferPointer(start: ib.unit($0), count: ib.dimension)) }, "same rows as quantize after import")
        #expect(Scratch.contents(dir).allSatisfy { !$0.contains("wordshift-tmp") }, "\(Scratch.contents(dir))")
        // Too many subquantizers for the dimension: refused, nothing left behind.
        var bad = Self.training
        bad.subquantizers = 7
        if encoding == .pq {
            #expect(throws: WordshiftError.self) { try VectorImport.importFile(file, to: dir + "/bad.sqlite", quantize: .pq, training: bad) }
            #expect(!FileManager.default.fileExists(atPath: dir + "/bad.sqlite"))
            #expect(Scratch.contents(dir).allSatisfy { !$0.contains("wordshift-tmp") }, "\(Scratch.contents(dir))")
        }
        // float32 is a plain import.
        #expect(try VectorImport.importFile(file, to: dir + "/f32.sqlite", quantize: .float32).quantized == nil)
    }

    @Test(arguments: [true, false])
    func pqCopyDecodesWithinBoundsAndNearestAgreesWithDecodedBruteForce(optimized: Bool) throws {
        let dir = TestData.scratchDirectory("wordshift-pq")
        let original = try Self.writeClusteredStore(in: dir)
        let out = dir + "/pq.sqlite"
        var training = Self.training
        training.optimized = optimized
        let summary = try StoreQuantizer.quantize(original, to: .pq, out: out, training: training)
        #expect(summary.training?.optimized == optimized)
        #expect(summary.encoding == .pq && summary.subquantizers == 6 && summary.rows == 1200)
        #expect(summary.training?.subquantizers == 6 && summary.droppedApproximateIndex == false)
        let store = try VectorStore(path: out)
        #expect(store.encoding == .pq && store.productQuantizer?.subquantizers == 6 && store.rowBytes == 6)
        #expect((store.productQuantizer?.rotation != nil) == optimized && (store.meta[MetaKey.pqRotation] != nil) == optimized)
        #expect(try store.database.pragmaInt("user_version") == StoreSchema.chunkedVersion)
        #expect(StoreSchema.chunkedVersion > StoreSchema.productQuantizedVersion, "a version-3 or 4 reader must refuse it")
        let blob = try store.database.prepare("SELECT length(vectors) / (length(norms) / 8) FROM vector_chunks WHERE chunk = 0")
        #expect(try blob.step() && blob.int(0) == 6)

        // Round trip: every decoded row is a unit vector close to its original.
        let reference = try VectorStore(path: original).loadIndex()
        let decoded = try store.loadIndex()
        #expect(decoded.isProductQuantized && !reference.isProductQuantized)
        var sum: Float = 0, worst: Float = 1
        for i in 0..<reference.count {
            let c = VectorMath.dot(reference.unitVector(i), decoded.unitVector(i))
            #expect(abs(VectorMath.norm(decoded.unitVector(i)) - 1) < 1e-4)
            #expect(abs(decoded.norm(i) - reference.norm(i)) < 1e-4, "the original length is kept")
            sum += c
            worst = min(worst, c)
        }
        #expect(sum / Float(reference.count) > 0.97, "mean cosine original/decoded \(sum / Float(reference.count))")
        #expect(worst > 0.85, "worst cosine original/decoded \(worst)")

        // Nearest (asymmetric distance over codes) = brute force over the decoded rows.
        let plain = EmbeddingIndex(words: decoded.words, dimension: decoded.dimension,
                                   vectors: (0..<decoded.count).flatMap { decoded.unitVector($0) })
        #expect(!plain.isProductQuantized)
        for q in stride(from: 0, to: 1200, by: 97) {
            for restrict in [nil, 500] as [Int?] {
                let a = decoded.nearest(to: decoded.unitVector(q), k: 10, restrict: restrict)
                let b = plain.nearest(to: decoded.unitVector(q), k: 10, restrict: restrict)
                #expect(a.count == 10 && b.count == 10)
                for (x, y) in zip(a, b) {
                    #expect(abs(x.score - y.score) < 1e-5)
                    // Equal words unless two scores tie within rounding.
                    if x.word != y.word { #expect(abs(x.score - y.score) < 1e-6) }
                }
            }
        }
        // And it stays close to the float32 original: recall@10 against exact search.
        var found = 0, total = 0
        for q in stride(from: 0, to: 1200, by: 37) {
            let exact = Set(reference.nearest(to: reference.unitVector(q), k: 10).map(\.word))
            found += decoded.nearest(to: reference.unitVector(q), k: 10).filter { exact.contains($0.word) }.count
            total += 10
        }
        #expect(Double(found) / Double(total) > 0.5, "recall@10 \(Double(found) / Double(total))")

        // Every query path decodes: lookup, analogy, similarity, export.
        let vectors = try WordVectors(path: out)
        let unit = try #require(try store.lookup("w3")).unit
        #expect(zip(unit, decoded.unitVector(3)).allSatisfy { abs($0 - $1) < 1e-5 }, "one row decodes like the whole matrix")
        #expect(try vectors.analogy(a: "w0", b: "w1", c: "w2", k: 3).count == 3)
        #expect(abs(try vectors.similarity("w0", "w30") - VectorMath.dot(decoded.unitVector(0), decoded.unitVector(30))) < 1e-5)
        #expect(try VectorImport.export(store: store, to: dir + "/pq.vec", format: .word2vecText) == 1200)
        // A pq store is not quantized again.
        #expect(throws: WordshiftError.self) { try StoreQuantizer.quantize(out, to: .int8, out: dir + "/again.sqlite") }
        #expect(Scratch.contents(dir).allSatisfy { !$0.contains("wordshift-tmp") })
    }

    @Test func codebooksAreSeededAndIndependentOfThreads() throws {
        let table = Self.clusteredTable(seed: 9)
        func train(threads: Int, seed: UInt64) throws -> ProductQuantizer {
            var o = Self.training
            o.threads = threads
            o.seed = seed
            o.sample = 800
            return try table.values.withUnsafeBufferPointer { v in
                try ProductQuantizer.train(units: try #require(v.baseAddress), rows: table.count, dimension: table.dimension, options: o)
            }
        }
        let one = try train(threads: 1, seed: 3), two = try train(threads: 2, seed: 3)
        #expect(one == two)
        #expect(one.rotation != nil, "optimized by default")
        #expect(try train(threads: 2, seed: 4) != one, "another seed gives other codebooks")
        // Encoding then decoding a training row gets back close to it (rows here are not unit).
        let row = Array(table.values[0..<24])
        let back = try #require(one.decode(one.encode(row)))
        #expect(VectorMath.cosine(row, back) > 0.95)
        #expect(one.decode([1, 2, 3]) == nil, "a code of the wrong length does not decode")
    }

    @Test func badSettingsAreRefusedBeforeAnythingIsWritten() throws {
        let dir = TestData.scratchDirectory("wordshift-pq")
        let original = try Self.writeClusteredStore(in: dir)
        func refuses(_ options: ProductQuantizer.TrainingOptions, _ needle: String, store: String? = nil) {
            do {
                _ = try StoreQuantizer.quantize(store ?? original, to: .pq, out: dir + "/bad.sqlite", training: options)
                Issue.record("expected a refusal containing \(needle)")
            } catch {
                #expect("\(error)".contains(needle), "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/bad.sqlite"))
        }
        var o = Self.training
        o.subquantizers = 5
        refuses(o, "does not divide the dimension 24")
        o.subquantizers = 48
        refuses(o, "does not divide the dimension 24")
        o = Self.training
        o.sample = 100
        refuses(o, "at least 256")
        o = Self.training
        o.iterations = 0
        refuses(o, "iterations")
        // Fewer rows than centroids.
        try PlantedVectors.writeStore(at: dir + "/small.sqlite")
        refuses(ProductQuantizer.TrainingOptions(sample: 1000), "at least 256 vectors", store: dir + "/small.sqlite")
        #expect(ProductQuantizer.defaultSubquantizers(dimension: 300) == 100)
        #expect(ProductQuantizer.defaultSubquantizers(dimension: 100) == 25)
        #expect(ProductQuantizer.defaultSubquantizers(dimension: 50) == 10)
        #expect(ProductQuantizer.defaultSubquantizers(dimension: 37) == nil)
        #expect(throws: WordshiftError.self) { try ProductQuantizer(dimension: 24, subquantizers: 6, codebooks: [1, 2]) }
    }

    @Test func theRotationBalancesVarianceAndIsOrthogonal() throws {
        // Variance concentrated on the first 4 axes: plain PQ would give it all to subspace 0.
        var rng = SeededRandom(seed: 2)
        let n = 2000, d = 16, m = 4
        var x = [Float](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { x[i * d + j] = (rng.nextUnitFloat() - 0.5) * (j < 4 ? 10 : 0.5) } }
        let r = ProductQuantizer.balancedPrincipalRotation(x, count: n, dimension: d, subquantizers: m, threads: 2)
        try ProductQuantizer.checkRotation(r, dimension: d)
        var perSubspace = [Double](repeating: 0, count: m)
        for i in 0..<n {
            for row in 0..<d {
                var y: Float = 0
                for j in 0..<d { y += r[row * d + j] * x[i * d + j] }
                perSubspace[row / (d / m)] += Double(y * y)
            }
        }
        let most = perSubspace.max() ?? 0, least = perSubspace.min() ?? 0
        #expect(least > 0.5 * most, "variance per subspace \(perSubspace)")
        var bad = r
        bad[0] += 0.1
        #expect(throws: WordshiftError.self) { try ProductQuantizer.checkRotation(bad, dimension: d) }
    }

    @Test func damagedCodesAndCodebooksAreErrors() throws {
        let dir = TestData.scratchDirectory("wordshift-pq")
        let original = try Self.writeClusteredStore(in: dir)
        func damaged(_ sql: String, open: Bool) throws {
            let path = dir + "/d.sqlite"
            try? FileManager.default.removeItem(atPath: path)
            _ = try StoreQuantizer.quantize(original, to: .pq, out: path, training: Self.training)
            let db = try SQLiteConnection(path: path, mode: .writer)
            try db.execute(sql)
            if open {
                #expect(throws: WordshiftError.self, "\(sql)") { try VectorStore(path: path) }
            } else {
                let store = try VectorStore(path: path)
                #expect(throws: WordshiftError.self, "\(sql)") { try store.loadIndex() }
            }
        }
        // A truncated code row.
        try damaged("UPDATE vector_chunks SET vectors = substr(vectors, 1, 5) WHERE chunk = 0", open: false)
        // A truncated codebook, a missing one, an extra one, a missing table, a bad count.
        try damaged("UPDATE pq_codebooks SET centroids = substr(centroids, 1, 100) WHERE subquantizer = 3", open: true)
        try damaged("DELETE FROM pq_codebooks WHERE subquantizer = 0", open: true)
        try damaged("INSERT INTO pq_codebooks VALUES (6, zeroblob(4096))", open: true)
        try damaged("DROP TABLE pq_codebooks", open: true)
        try damaged("UPDATE meta SET value = '5' WHERE key = 'pq_subquantizers'", open: true)
        try damaged("DELETE FROM meta WHERE key = 'pq_subquantizers'", open: true)
        // A damaged rotation: truncated, not orthogonal, missing, of an unknown kind.
        try damaged("UPDATE pq_rotation SET matrix = substr(matrix, 1, 50)", open: true)
        try damaged("UPDATE pq_rotation SET matrix = zeroblob(length(matrix))", open: true)
        try damaged("DELETE FROM pq_rotation", open: true)
        try damaged("DROP TABLE pq_rotation", open: true)
        try damaged("UPDATE meta SET value = 'random' WHERE key = 'pq_rotation'", open: true)
        // A reader older than the format refuses clearly (the same check a version-3 reader makes).
        try damaged("PRAGMA user_version = \(StoreSchema.formatVersion + 1)", open: true)
        do {
            _ = try VectorStore(path: dir + "/d.sqlite")
        } catch WordshiftError.unsupportedStoreVersion(_, let found, _) {
            #expect(found == StoreSchema.formatVersion + 1)
        }
    }
}
