import Foundation

/// One co-occurrence as the trainer consumes it: 0-based word and context ids, log of the
/// total, and its weight f(x) = min(1, (x / x_max)^alpha), both computed once, not per iteration.
public struct TrainingPair: Sendable, Equatable {
    public var word: Int32
    public var context: Int32
    public var logValue: Float
    public var weight: Float

    public init(word: Int32, context: Int32, value: Double, xMax: Double, alpha: Double) {
        self.word = word
        self.context = context
        logValue = Float(log(value))
        weight = value >= xMax ? 1 : Float(pow(value / xMax, alpha))
    }
}

enum PairShuffle {
    /// Fisher–Yates shuffle with the seeded generator.
    static func shuffle(_ pairs: inout [TrainingPair], seed: UInt64) {
        var rng = SeededRandom(seed: seed ^ 0x5348_5546_464C_4521)
        pairs.withUnsafeMutableBufferPointer { p in
            var i = p.count - 1
            while i > 0 {
                let j = rng.next(below: i + 1)
                p.swapAt(i, j)
                i -= 1
            }
        }
    }
}

/// Collects pairs in fixed-size chunks, then moves them into one exactly-sized array, so that
/// collecting never holds two large copies at once (unlike growing one array by doubling).
struct PairCollector {
    private var chunks: [[TrainingPair]] = []
    private var current: [TrainingPair] = []
    private static let chunkSize = 1 << 18
    private(set) var count = 0

    mutating func append(_ p: TrainingPair) {
        if current.isEmpty { current.reserveCapacity(PairCollector.chunkSize) }
        current.append(p)
        count += 1
        if current.count == PairCollector.chunkSize { chunks.append(current); current = [] }
    }

    mutating func finish() -> [TrainingPair] {
        if !current.isEmpty { chunks.append(current); current = [] }
        var all: [TrainingPair] = []
        all.reserveCapacity(count)
        for i in chunks.indices {
            all.append(contentsOf: chunks[i])
            chunks[i] = []
        }
        chunks = []
        return all
    }
}
