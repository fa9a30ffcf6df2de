import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One co-occurrence as the trainer consumes it, in 12 bytes: 0-based word and context ids
/// (24 bits each, so at most `TrainingPair.maximumVocabulary` words), the log of the total as an
/// exact float32, and the weight f(x) = min(1, (x / x_max)^alpha) as a 16-bit float code
/// (6-bit exponent for 2^-63…1, 10-bit mantissa, rounded: relative error ≤ 2^-11, and 1 is
/// exact). Log and weight are computed once, not per iteration; decoding the weight is three
/// integer operations. 12 instead of 16 bytes a pair is a quarter less memory for the pair array,
/// which dominates the peak of a large run.
package struct TrainingPair: Sendable, Equatable {
    /// word id | weight code bits 0–7 << 24
    private var a: UInt32
    /// context id | weight code bits 8–15 << 24
    private var b: UInt32
    package var logValue: Float

    /// Ids must be below this (2^24 words).
    package static let maximumVocabulary = 1 << 24

    package init(word: Int32, context: Int32, value: Double, xMax: Double, alpha: Double) {
        let weight = value >= xMax ? Float(1) : Float(pow(value / xMax, alpha))
        self.init(word: word, context: context, logValue: Float(log(value)), weight: weight)
    }

    /// `word` and `context` in 0..<maximumVocabulary; `weight` in [0, 1].
    package init(word: Int32, context: Int32, logValue: Float, weight: Float) {
        let q = UInt32(TrainingPair.weightCode(weight))
        a = UInt32(bitPattern: word) & 0xFF_FFFF | (q & 0xFF) << 24
        b = UInt32(bitPattern: context) & 0xFF_FFFF | (q >> 8) << 24
        self.logValue = logValue
    }

    @inline(__always) package var word: Int32 { Int32(bitPattern: a & 0xFF_FFFF) }
    @inline(__always) package var context: Int32 { Int32(bitPattern: b & 0xFF_FFFF) }

    /// The weight code and log value, for ordering records of the same pair.
    @inline(__always) var payloadBits: UInt64 {
        UInt64(a >> 24 | (b >> 24) << 8) << 32 | UInt64(logValue.bitPattern)
    }

    /// f(x), decoded from the 16-bit code.
    @inline(__always) package var weight: Float {
        let q = a >> 24 | (b >> 24) << 8
        return Float(bitPattern: ((q >> 10) + 64) << 23 | (q & 0x3FF) << 13)
    }

    /// The 16-bit code of a weight: float32 exponent - 64 (6 bits), top 10 mantissa bits,
    /// rounded to nearest. Weights below 2^-63 (or NaN) become 2^-63, 1 and above become 1.
    static func weightCode(_ w: Float) -> UInt16 {
        guard !w.isNaN else { return 0 }
        guard w < 1 else { return 63 << 10 }
        guard w >= 0x1p-63 else { return 0 }
        let rounded = (w.bitPattern &+ 0x1000) & ~0x1FFF
        let exponent = rounded >> 23
        return UInt16(truncatingIfNeeded: (exponent - 64) << 10 | (rounded >> 13) & 0x3FF)
    }
}

/// Collects pairs in fixed-size chunks mapped straight from the kernel (mmap), then copies them
/// into one exactly-sized array, unmapping each chunk as soon as it is copied. Collecting never
/// holds two full copies: the peak is the array plus one chunk. (Chunks from malloc would not
/// do: freed blocks below glibc's mmap threshold stay in the heap, and the resident set then
/// peaks at twice the pairs.)
final class PairCollector {
    private var chunks: [UnsafeMutablePointer<TrainingPair>] = []
    private var used = PairCollector.chunkPairs
    static let chunkPairs = 1 << 20
    private(set) var count = 0

    init() {}

    deinit { for c in chunks { PairCollector.unmap(c) } }

    @inline(__always)
    func append(_ p: TrainingPair) throws {
        if used == PairCollector.chunkPairs {
            chunks.append(try PairCollector.map())
            used = 0
        }
        chunks[chunks.count - 1][used] = p
        used += 1
        count += 1
    }

    /// All pairs, in the order appended; the collector is empty afterwards.
    func finish() -> [TrainingPair] {
        let total = count
        let list = chunks
        chunks = []
        used = PairCollector.chunkPairs
        count = 0
        return [TrainingPair](unsafeUninitializedCapacity: total) { buffer, initialized in
            var n = 0
            for c in list {
                let k = min(PairCollector.chunkPairs, total - n)
                if k > 0, let base = buffer.baseAddress { (base + n).initialize(from: c, count: k) }
                n += max(0, k)
                PairCollector.unmap(c)
            }
            initialized = n
        }
    }

    /// Hands every pair to `body` in the order appended, unmapping each chunk once it is done;
    /// the collector is empty afterwards.
    func drain(_ body: (TrainingPair) throws -> Void) throws {
        let total = count
        let list = chunks
        chunks = []
        used = PairCollector.chunkPairs
        count = 0
        var n = 0, index = 0
        defer { for c in list[index...] { PairCollector.unmap(c) } }
        while index < list.count {
            let c = list[index]
            let k = min(PairCollector.chunkPairs, total - n)
            for i in 0..<max(0, k) { try body(c[i]) }
            n += max(0, k)
            PairCollector.unmap(c)
            index += 1
        }
    }

    private static var chunkBytes: Int { chunkPairs * MemoryLayout<TrainingPair>.stride }

    private static func map() throws -> UnsafeMutablePointer<TrainingPair> {
        let p = mmap(nil, chunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let p, p != MAP_FAILED else {
            throw WordshiftError.io(path: "(memory)", message: "cannot map \(chunkBytes) bytes for co-occurrence pairs: \(System.errnoString())")
        }
        return p.bindMemory(to: TrainingPair.self, capacity: chunkPairs)
    }

    private static func unmap(_ p: UnsafeMutablePointer<TrainingPair>) { munmap(UnsafeMutableRawPointer(p), chunkBytes) }
}
