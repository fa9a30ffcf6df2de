/// GloVe parameters and AdaGrad state in one contiguous buffer. Rows 0..<V are word vectors,
/// rows V..<2V context vectors. A row is [weights: stride][squared-gradient sums: stride]
/// [bias, bias gradient sum, padding]: stride is the dimension rounded up to 8 floats, so the
/// kernel runs whole SIMD8 lanes; padding weights stay 0 and their gradient sums 1.
public final class GloVeModel: @unchecked Sendable {
    public let vocabularySize: Int
    public let dimension: Int
    let stride: Int
    let rowFloats: Int
    let storage: UnsafeMutablePointer<Float>
    var floatCount: Int { 2 * vocabularySize * rowFloats }

    /// Initialised like the reference: uniform (r - 0.5) / dimension for weights and biases,
    /// squared-gradient sums 1.
    public init(vocabularySize: Int, dimension: Int, seed: UInt64) {
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        stride = (dimension + 7) / 8 * 8
        rowFloats = 2 * stride + 8
        storage = .allocate(capacity: 2 * vocabularySize * rowFloats)
        var rng = SeededRandom(seed: seed)
        let scale = 1 / Float(dimension)
        for r in 0..<(2 * vocabularySize) {
            let row = storage + r * rowFloats
            row.initialize(repeating: 0, count: stride)
            (row + stride).initialize(repeating: 1, count: stride)
            (row + 2 * stride).initialize(repeating: 0, count: 8)
            for d in 0..<dimension { row[d] = (rng.nextUnitFloat() - 0.5) * scale }
            row[2 * stride] = (rng.nextUnitFloat() - 0.5) * scale
            row[2 * stride + 1] = 1
        }
    }

    deinit { storage.deallocate() }

    @inline(__always) func wordRow(_ i: Int) -> UnsafeMutablePointer<Float> { storage + i * rowFloats }
    @inline(__always) func contextRow(_ i: Int) -> UnsafeMutablePointer<Float> { storage + (vocabularySize + i) * rowFloats }

    /// The output vector of word `i`: word + context vector, or the word vector only.
    public func vector(_ i: Int, wordOnly: Bool, into out: UnsafeMutablePointer<Float>) {
        let w = wordRow(i), c = contextRow(i)
        for d in 0..<dimension { out[d] = wordOnly ? w[d] : w[d] + c[d] }
    }

    /// The raw buffer (for checkpoints).
    var rawBytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: storage, count: floatCount * 4)
    }
}
