/// Words and their vectors in memory, row-major.
public struct VectorTable: VectorSink, Sendable {
    /// The words, in row order.
    public var words: [String] = []
    /// Length of every vector (0 until the first row arrives).
    public var dimension = 0
    /// Every vector, one after another: row `i` is `values[i * dimension ..< (i + 1) * dimension]`.
    public var values: [Float] = []

    /// An empty table, ready to be filled by a reader.
    public init() {}

    /// A table of `words` with their vectors `values` (row-major; `values.count` must be
    /// `words.count × dimension`).
    public init(words: [String], dimension: Int, values: [Float]) {
        precondition(values.count == words.count * dimension)
        self.words = words
        self.dimension = dimension
        self.values = values
    }

    /// Number of rows.
    public var count: Int { words.count }

    /// The vector of row `i` (no copy); `i` must be below ``count``.
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

    package mutating func add(words batch: [String], values batchValues: consuming [Float]) throws {
        words.append(contentsOf: batch)
        values.append(contentsOf: batchValues)
    }
}
