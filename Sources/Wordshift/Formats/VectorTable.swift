/// Words and their vectors in memory, row-major.
public struct VectorTable: VectorSink, Sendable {
    public var words: [String] = []
    public var dimension = 0
    public var values: [Float] = []

    public init() {}

    public init(words: [String], dimension: Int, values: [Float]) {
        precondition(values.count == words.count * dimension)
        self.words = words
        self.dimension = dimension
        self.values = values
    }

    public var count: Int { words.count }

    public func vector(_ i: Int) -> ArraySlice<Float> { values[i * dimension..<(i + 1) * dimension] }

    package mutating func begin(dimension: Int, expectedCount: Int?) throws {
        self.dimension = dimension
        // A hint only: at most 16M values are reserved up front; beyond that the arrays grow
        // with the rows actually added.
        if let n = expectedCount, n > 0, dimension > 0 {
            let rows = min(n, (1 << 24) / dimension)
            words.reserveCapacity(rows)
            values.reserveCapacity(rows * dimension)
        }
    }

    package mutating func add(words batch: [String], values batchValues: [Float]) throws {
        words.append(contentsOf: batch)
        values.append(contentsOf: batchValues)
    }
}
