#if canImport(Glibc)
import Glibc
#endif

/// GloVe parameters and AdaGrad state in one contiguous buffer. Rows 0..<V are word vectors,
/// rows V..<2V context vectors. A row is [weights: stride][squared-gradient sums: stride]
/// [bias, bias gradient sum, padding]: stride is the dimension rounded up to 8 floats, so the
/// kernel runs whole SIMD8 lanes; padding weights stay 0 and their gradient sums 1.
/// Rows are whole cache lines (64-byte aligned, length a multiple of 16 floats), so threads
/// updating different words never write the same line (no false sharing between neighbouring
/// ids, which are the most frequent words); the buffer asks for transparent huge pages, since
/// every update lands on two random rows of a buffer far larger than the TLB covers.
package final class GloVeModel: @unchecked Sendable {
    package let vocabularySize: Int
    package let dimension: Int
    let stride: Int
    let rowFloats: Int
    let storage: UnsafeMutablePointer<Float>
    var floatCount: Int { 2 * vocabularySize * rowFloats }

    /// Initialised like the reference: uniform (r - 0.5) / dimension for weights and biases,
    /// squared-gradient sums 1.
    package init(vocabularySize: Int, dimension: Int, seed: UInt64) {
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        stride = (dimension + 7) / 8 * 8
        rowFloats = (2 * stride + 8 + 15) / 16 * 16
        storage = GloVeModel.allocateRows(floats: 2 * vocabularySize * rowFloats)
        var rng = SeededRandom(seed: seed)
        let scale = 1 / Float(dimension)
        for r in 0..<(2 * vocabularySize) {
            let row = storage + r * rowFloats
            row.initialize(repeating: 0, count: stride)
            (row + stride).initialize(repeating: 1, count: stride)
            (row + 2 * stride).initialize(repeating: 0, count: rowFloats - 2 * stride)
            for d in 0..<dimension { row[d] = (rng.nextUnitFloat() - 0.5) * scale }
            row[2 * stride] = (rng.nextUnitFloat() - 0.5) * scale
            row[2 * stride + 1] = 1
        }
    }

    deinit { free(storage) }

    /// 64-byte aligned (2 MB aligned with huge pages advised when large); freed with `free`.
    private static func allocateRows(floats: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(64, floats * 4)
        let huge = 2 << 20
        let alignment = bytes >= 4 * huge ? huge : 64
        var raw: UnsafeMutableRawPointer?
        if posix_memalign(&raw, alignment, bytes) != 0 || raw == nil {
            // posix_memalign fails only without memory: fail like any other allocation would.
            fatalError("GloVeModel: cannot allocate \(bytes) bytes")
        }
        guard let raw else { fatalError("GloVeModel: cannot allocate \(bytes) bytes") }
        if alignment == huge { _ = madvise(raw, bytes, Int32(MADV_HUGEPAGE)) }
        return raw.bindMemory(to: Float.self, capacity: floats)
    }

    @inline(__always) func wordRow(_ i: Int) -> UnsafeMutablePointer<Float> { storage + i * rowFloats }
    @inline(__always) func contextRow(_ i: Int) -> UnsafeMutablePointer<Float> { storage + (vocabularySize + i) * rowFloats }

    /// The output vector of word `i`: word + context vector, or the word vector only.
    package func vector(_ i: Int, wordOnly: Bool, into out: UnsafeMutablePointer<Float>) {
        let w = wordRow(i), c = contextRow(i)
        for d in 0..<dimension { out[d] = wordOnly ? w[d] : w[d] + c[d] }
    }

    /// The raw buffer (for checkpoints).
    var rawBytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: storage, count: floatCount * 4)
    }
}
