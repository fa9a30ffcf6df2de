/// Product quantization of unit vectors: the `dimension` values of a row are split into
/// `subquantizers` consecutive subvectors of `dimension / subquantizers` values, and each
/// subvector is replaced by the number (one byte) of its nearest centroid in that subspace's
/// codebook of ``centroids`` entries. A 300-d row with 75 subquantizers becomes 75 bytes instead
/// of 1,200. Decoding concatenates the chosen centroids; similarity to a query is a sum of
/// `subquantizers` table lookups (``lookupTable(for:into:)``), without decoding the row.
///
/// Codebooks are learned by ``train(units:rows:dimension:options:progress:)`` (k-means) and kept
/// in the store's `pq_codebooks` table (docs/store.md, "Product-quantized stores").
public struct ProductQuantizer: Sendable, Equatable {
    /// Centroids per codebook: 256, so that a code is one byte.
    public static let centroids = 256
    /// Length of the vectors encoded.
    public let dimension: Int
    /// Number of subvectors (and codebooks, and code bytes per row); divides `dimension`.
    public let subquantizers: Int
    /// Codebook of subquantizer m, centroid c, value j at
    /// `(m · centroids + c) · subdimension + j`: `dimension · centroids` values in all.
    public let codebooks: [Float]
    /// Squared length of every centroid, at `m · centroids + c` (for the reconstructed norms).
    let centroidSquares: [Float]
    /// The codebooks transposed per subquantizer, value j of centroid c of subquantizer m at
    /// `(m · subdimension + j) · centroids + c`: the centroid search runs along contiguous centroids.
    let transposed: [Float]

    /// Values per subvector.
    public var subdimension: Int { dimension / subquantizers }

    /// Checks the shape: `subquantizers` must be positive and divide `dimension`, and
    /// `codebooks` must hold `dimension · centroids` finite values.
    public init(dimension: Int, subquantizers: Int, codebooks: [Float]) throws {
        try Self.checkShape(dimension: dimension, subquantizers: subquantizers)
        guard codebooks.count == dimension * Self.centroids else {
            throw WordshiftError.invalidArgument("a product quantizer for dimension \(dimension) needs \(dimension * Self.centroids) codebook values, got \(codebooks.count)")
        }
        guard codebooks.allSatisfy(\.isFinite) else {
            throw WordshiftError.invalidArgument("product-quantizer codebooks hold a value that is not finite")
        }
        self.dimension = dimension
        self.subquantizers = subquantizers
        self.codebooks = codebooks
        let sub = dimension / subquantizers
        var squares = [Float](repeating: 0, count: subquantizers * Self.centroids)
        for i in 0..<squares.count {
            var s: Float = 0
            for j in 0..<sub { s += codebooks[i * sub + j] * codebooks[i * sub + j] }
            squares[i] = s
        }
        centroidSquares = squares
        transposed = Self.transpose(codebooks, dimension: dimension, subquantizers: subquantizers)
    }

    /// `books` (`[m][c][j]`) as `[m][j][c]`.
    static func transpose(_ books: [Float], dimension: Int, subquantizers: Int) -> [Float] {
        let sub = dimension / subquantizers, k = centroids
        var t = [Float](repeating: 0, count: books.count)
        for m in 0..<subquantizers {
            for c in 0..<k {
                for j in 0..<sub { t[(m * sub + j) * k + c] = books[(m * k + c) * sub + j] }
            }
        }
        return t
    }

    /// Throws unless `subquantizers` is positive and divides `dimension`.
    static func checkShape(dimension: Int, subquantizers: Int) throws {
        guard dimension > 0 else { throw WordshiftError.invalidArgument("product quantization needs vectors of positive dimension") }
        guard subquantizers > 0, subquantizers <= dimension, dimension % subquantizers == 0 else {
            let divisors = (1...dimension).filter { dimension % $0 == 0 }.map(String.init).joined(separator: ", ")
            throw WordshiftError.invalidArgument(
                "--subquantizers \(subquantizers) does not divide the dimension \(dimension); choose one of \(divisors)")
        }
    }

    /// The default number of subquantizers for `dimension`: subvectors of 4 values (75 for
    /// 300-d, about 16× fewer bytes than float32) when 4 divides it, otherwise the divisor
    /// closest to `dimension / 4` between `dimension / 8` and `dimension / 2`; nil when there is none.
    public static func defaultSubquantizers(dimension: Int) -> Int? {
        guard dimension > 0 else { return nil }
        if dimension % 4 == 0 { return dimension / 4 }
        let target = Double(dimension) / 4
        let candidates = (1...dimension).filter { dimension % $0 == 0 && 8 * $0 >= dimension && 2 * $0 <= dimension }
        return candidates.min { abs(Double($0) - target) < abs(Double($1) - target) }
    }

    /// The code of one vector (`dimension` values): the nearest centroid of each subvector.
    /// `scratch` holds `centroids` values.
    package func encode(_ vector: UnsafePointer<Float>, into codes: UnsafeMutablePointer<UInt8>, scratch: UnsafeMutablePointer<Float>) {
        let sub = subdimension, k = Self.centroids
        transposed.withUnsafeBufferPointer { books in
            guard let base = books.baseAddress else { return }
            for m in 0..<subquantizers {
                codes[m] = UInt8(Self.nearestCentroid(vector + m * sub, base + m * sub * k, sub, scratch))
            }
        }
    }

    /// The code of `vector` (`dimension` values).
    public func encode(_ vector: [Float]) -> [UInt8] {
        precondition(vector.count == dimension, "vector length must equal the dimension")
        var out = [UInt8](repeating: 0, count: subquantizers)
        vector.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                guard let vb = v.baseAddress, let ob = o.baseAddress else { return }
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Self.centroids)
                defer { scratch.deallocate() }
                encode(vb, into: ob, scratch: scratch)
            }
        }
        return out
    }

    /// Index of the centroid nearest to `x` (`sub` values) in `book`, a transposed codebook
    /// (`sub` rows of `centroids` values); `scratch` holds `centroids` values. Ties go to the lower index.
    @inline(__always)
    static func nearestCentroid(_ x: UnsafePointer<Float>, _ book: UnsafePointer<Float>, _ sub: Int,
                                _ scratch: UnsafeMutablePointer<Float>) -> Int {
        let k = centroids
        scratch.update(repeating: 0, count: k)
        for j in 0..<sub {
            let xj = x[j], row = book + j * k
            for c in 0..<k {
                let t = xj - row[c]
                scratch[c] += t * t
            }
        }
        var best = 0
        var bestDistance = scratch[0]
        for c in 1..<k where scratch[c] < bestDistance {
            bestDistance = scratch[c]
            best = c
        }
        return best
    }

    /// Writes the concatenated centroids of `codes` (`subquantizers` bytes) to `out`
    /// (`dimension` values), not renormalised.
    package func reconstruct(_ codes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
        let sub = subdimension, k = Self.centroids
        codebooks.withUnsafeBufferPointer { books in
            guard let base = books.baseAddress else { return }
            for m in 0..<subquantizers {
                let c = base + (m * k + Int(codes[m])) * sub
                for j in 0..<sub { out[m * sub + j] = c[j] }
            }
        }
    }

    /// Decodes one stored row (`subquantizers` code bytes) into `out` (`dimension` values),
    /// renormalised to unit length like every decoded row; false when `blob` has the wrong size.
    package func decode(_ blob: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Float>) -> Bool {
        guard blob.count == subquantizers, let base = blob.baseAddress else { return false }
        reconstruct(base.assumingMemoryBound(to: UInt8.self), into: out)
        let n = VectorMath.norm(UnsafeBufferPointer(start: out, count: dimension))
        if n > 0, n.isFinite { for j in 0..<dimension { out[j] /= n } }
        return true
    }

    /// The decoded unit vector of `codes`, or nil when it is not `subquantizers` bytes long.
    public func decode(_ codes: [UInt8]) -> [Float]? {
        var out = [Float](repeating: 0, count: dimension)
        let ok = codes.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { o in o.baseAddress.map { decode(b, into: $0) } ?? false } }
        return ok ? out : nil
    }

    /// Length of the reconstruction (before renormalising) of `codes`.
    package func reconstructedNorm(_ codes: UnsafePointer<UInt8>) -> Float {
        var s: Float = 0
        let k = Self.centroids
        for m in 0..<subquantizers { s += centroidSquares[m * k + Int(codes[m])] }
        return s.squareRoot()
    }

    /// Fills `table` (`subquantizers · centroids` values) with the dot product of each
    /// subvector of `query` with each centroid of its codebook: the dot product of the query
    /// with a row's reconstruction is then the sum of `subquantizers` entries (asymmetric distance).
    package func lookupTable(for query: UnsafePointer<Float>, into table: UnsafeMutablePointer<Float>) {
        let sub = subdimension, k = Self.centroids
        transposed.withUnsafeBufferPointer { books in
            guard let base = books.baseAddress else { return }
            for m in 0..<subquantizers {
                let out = table + m * k
                out.update(repeating: 0, count: k)
                for j in 0..<sub {
                    let qj = query[m * sub + j], row = base + (m * sub + j) * k
                    for c in 0..<k { out[c] += qj * row[c] }
                }
            }
        }
    }
}
