import CKernels
import Testing
@testable import Wordshift

/// The int8 kernels against a plain integer reference, including the extreme codes ±127 whose
/// pair sums come closest to int16 saturation in the AVX2 path.
@Suite struct Int8KernelTests {
    @Test func singleAndBatchedDotsEqualTheReference() {
        var rng = SeededRandom(seed: 5)
        let stride = 96, rows = 37, m = 7
        func code() -> Int8 {
            switch rng.next() % 4 { case 0: return 127; case 1: return -127; default: return Int8(Int(rng.next() % 255) - 127) }
        }
        let matrix = (0..<rows * stride).map { _ in code() }
        let queries = (0..<m * stride).map { _ in code() }
        func reference(_ r: Int, _ q: Int) -> Int32 {
            (0..<stride).reduce(Int32(0)) { $0 + Int32(matrix[r * stride + $1]) * Int32(queries[q * stride + $1]) }
        }
        var single = [Int32](repeating: 0, count: rows)
        var batch = [Int32](repeating: -1, count: rows * m)
        matrix.withUnsafeBufferPointer { a in
            queries.withUnsafeBufferPointer { q in
                guard let ab = a.baseAddress, let qb = q.baseAddress else { return }
                for j in 0..<m {
                    single.withUnsafeMutableBufferPointer { ckernels_dot_i8(ab, rows, stride, qb + j * stride, $0.baseAddress) }
                    #expect(single == (0..<rows).map { reference($0, j) })
                }
                batch.withUnsafeMutableBufferPointer { ckernels_dot_i8_batch(ab, rows, stride, qb, m, $0.baseAddress) }
            }
        }
        #expect(batch == (0..<rows * m).map { reference($0 % rows, $0 / rows) })
    }
}
