import CKernels
import Testing
@testable import Wordshift

/// The float dot kernels graph search uses, at every level this CPU runs, against a
/// double-precision reference, for every length from 1 to 70 (so every tail the AVX-512
/// mask and the AVX2 remainder loops handle) and the 300 of common word vectors.
@Suite struct FloatDotKernelTests {
    @Test func everyLevelAgreesWithTheReferenceAtEveryLength() {
        var rng = SeededRandom(seed: 11)
        let lengths = Array(1...70) + [100, 300]
        for n in lengths {
            // One spare value after each array: a kernel that reads past n would pick it up.
            let a = (0...n).map { _ in Float(Int(rng.next() % 2001) - 1000) / 1000 }
            let b = (0...n).map { i in i == n ? Float(1e6) : Float(Int(rng.next() % 2001) - 1000) / 1000 }
            let reference = (0..<n).reduce(0.0) { $0 + Double(a[$1]) * Double(b[$1]) }
            let tolerance = 1e-5 * Double(n)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
                    for level in Int32(0)...2 {
                        let got = Double(ckernels_dot_f32_at(level, x, y, n))
                        #expect(abs(got - reference) <= tolerance, "length \(n), level \(level): \(got) against \(reference)")
                    }
                    #expect(abs(Double(ckernels_dot_f32(x, y, n)) - reference) <= tolerance)
                }
            }
        }
    }

    @Test func rowScoresEqualOneDotPerRow() {
        var rng = SeededRandom(seed: 12)
        let dimension = 37, rows = 50
        let units = (0..<rows * dimension).map { _ in Float(Int(rng.next() % 2001) - 1000) / 1000 }
        let query = (0..<dimension).map { _ in Float(Int(rng.next() % 2001) - 1000) / 1000 }
        let ids = [Int32(49), 0, 7, 7, 23, 48, 1]
        var out = [Float](repeating: .nan, count: ids.count + 1)
        units.withUnsafeBufferPointer { u in
            query.withUnsafeBufferPointer { q in
                ids.withUnsafeBufferPointer { i in
                    out.withUnsafeMutableBufferPointer { o in
                        guard let ub = u.baseAddress, let qb = q.baseAddress, let ib = i.baseAddress, let ob = o.baseAddress else { return }
                        ckernels_dot_f32_rows(qb, ub, dimension, ib, ids.count, ob)
                        for (k, id) in ids.enumerated() {
                            #expect(ob[k] == ckernels_dot_f32(qb, ub + Int(id) * dimension, dimension), "row \(id)")
                        }
                    }
                }
            }
        }
        #expect(out[ids.count].isNaN, "wrote past count")
    }
}
