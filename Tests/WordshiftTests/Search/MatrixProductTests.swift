import Foundation
import Testing
@testable import Wordshift

/// The batched-query product: the built-in kernel (every micro-kernel the CPU has) and, when the
/// machine has it, OpenBLAS must agree with a plain double-precision product.
@Suite struct MatrixProductTests {
    /// Sizes that hit edge tiles in both directions, several k passes (d > 192) and one tiny d.
    static let shapes: [(m: Int, n: Int, d: Int)] = [(1, 1, 1), (13, 1_037, 301), (8, 64, 24), (7, 2_100, 50), (33, 300, 5)]

    func check(m: Int, n: Int, d: Int, backend: MatrixProduct.Backend, level: Int, threads: Int) {
        let a = Scratch.table(m, d, seed: 3).values, b = Scratch.table(n, d, seed: 4).values
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    MatrixProduct.multiplyTransposed(m: m, n: n, d: d, a: ap.baseAddress!, b: bp.baseAddress!, c: cp.baseAddress!,
                                                     threads: threads, backend: backend, level: level)
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0, mag = 0.0
                for k in 0..<d {
                    s += Double(a[i * d + k]) * Double(b[j * d + k])
                    mag += abs(Double(a[i * d + k]) * Double(b[j * d + k]))
                }
                worst = max(worst, abs(Double(c[i * n + j]) - s) / max(mag, 1))
            }
        }
        #expect(worst < 1e-5, "\(backend) level \(level) \(m)×\(n)×\(d): relative error \(worst)")
    }

    @Test(arguments: [0, 1, 2])
    func builtinKernelMatchesPlainProduct(level: Int) {
        for s in Self.shapes {
            check(m: s.m, n: s.n, d: s.d, backend: .builtin, level: level, threads: 2)
        }
    }

    @Test func openBLASWhenPresentMatchesPlainProduct() {
        // CI installs OpenBLAS's run-time library (without headers) and says so.
        if ProcessInfo.processInfo.environment["WORDSHIFT_EXPECT_OPENBLAS"] == "1" {
            #expect(MatrixProduct.openBLASAvailable, "libopenblas.so.0 should load with dlopen")
        }
        // Without OpenBLAS the request falls back to the built-in kernel: still correct.
        for s in Self.shapes {
            check(m: s.m, n: s.n, d: s.d, backend: .openBLAS, level: -1, threads: 2)
        }
    }

    @Test func environmentTurnsOpenBLASOff() {
        var asked = false
        for off in ["0", "off", "OFF", "no", "false"] {
            #expect(MatrixProduct.backend(environment: off, openBLASPresent: { asked = true; return true }) == .builtin)
        }
        #expect(!asked, "the off switch must not even look for OpenBLAS")
        #expect(MatrixProduct.backend(environment: nil, openBLASPresent: { true }) == .openBLAS)
        #expect(MatrixProduct.backend(environment: "1", openBLASPresent: { true }) == .openBLAS)
        #expect(MatrixProduct.backend(environment: nil, openBLASPresent: { false }) == .builtin)
    }

    @Test func batchQueriesAgreeOnBothBackends() {
        let table = Scratch.table(3_000, 40, seed: 21)
        let idx = EmbeddingIndex(words: table.words, dimension: table.dimension, vectors: table.values)
        let ids = [1, 77, 2_999]
        let queries = ids.flatMap { idx.vector($0) }
        for id in ids.indices {
            let single = idx.nearest(to: idx.vector(ids[id]), k: 5).map(\.word)
            #expect(idx.nearestBatch(queries: queries, k: 5)[id].map(\.word) == single)
        }
        #expect(idx.nearestBatch(queries: [], k: 5).isEmpty)
    }
}
