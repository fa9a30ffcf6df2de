/// Product quantization of unit vectors: the `dimension` values of a row are split into
/// `subquantizers` consecutive subvectors of `dimension / subquantizers` values, and each
/// subvector is replaced by the number (one byte) of its nearest centroid in that subspace's
/// codebook of ``centroids`` entries. A 300-d row with 100 subquantizers becomes 100 bytes
/// instead of 1,200. Decoding concatenates the chosen centroids; similarity to a query is a sum of
/// `subquantizers` table lookups (`lookupTable(for:into:)`), without decoding the row.
///
/// Optimized product quantization (OPQ) first turns every vector by an orthogonal ``rotation``
/// (principal axes of the training sample, dealt out so that every subspace gets a balanced
/// share of the variance), quantizes the turned vector, and turns the reconstruction back:
/// dot products and lengths are unchanged by the rotation, the quantization error is smaller.
///
/// Codebooks are learned by ``train(units:rows:dimension:options:progress:)`` (k-means) and kept
/// in the store's `pq_codebooks` (and `pq_rotation`) tables (docs/store.md, "Product-quantized stores").
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
    /// For OPQ: the orthogonal `dimension × dimension` matrix R (row-major) applied before
    /// quantizing (`y = R·x`); decoding applies Rᵀ. Nil for plain PQ.
    public let rotation: [Float]?
    /// Rᵀ row-major (for turning many reconstructions back with one matrix product).
    let rotationTransposed: [Float]?

    /// Values per subvector.
    public var subdimension: Int { dimension / subquantizers }

    /// Checks the shape: `subquantizers` must be positive and divide `dimension`, `codebooks`
    /// must hold `dimension · centroids` finite values, and a `rotation` `dimension²` finite
    /// values forming an orthogonal matrix (R·Rᵀ within 1e-3 of the identity).
    public init(dimension: Int, subquantizers: Int, codebooks: [Float], rotation: [Float]? = nil) throws {
        try Self.checkShape(dimension: dimension, subquantizers: subquantizers)
        guard codebooks.count == dimension * Self.centroids else {
            throw WordshiftError.invalidArgument("a product quantizer for dimension \(dimension) needs \(dimension * Self.centroids) codebook values, got \(codebooks.count)")
        }
        guard codebooks.allSatisfy(\.isFinite) else {
            throw WordshiftError.invalidArgument("product-quantizer codebooks hold a value that is not finite")
        }
        if let r = rotation { try Self.checkRotation(r, dimension: dimension) }
        self.dimension = dimension
        self.subquantizers = subquantizers
        self.codebooks = codebooks
        self.rotation = rotation
        rotationTransposed = rotation.map { r in (0..<(dimension * dimension)).map { r[($0 % dimension) * dimension + $0 / dimension] } }
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

    /// Throws unless `r` is `dimension²` finite values of an orthogonal matrix.
    static func checkRotation(_ r: [Float], dimension d: Int) throws {
        guard r.count == d * d, r.allSatisfy(\.isFinite) else {
            throw WordshiftError.invalidArgument("a rotation for dimension \(d) needs \(d * d) finite values, got \(r.count)")
        }
        for i in 0..<d {
            for j in i..<d {
                var s: Float = 0
                for k in 0..<d { s += r[i * d + k] * r[j * d + k] }
                guard abs(s - (i == j ? 1 : 0)) < 1e-3 else {
                    throw WordshiftError.invalidArgument("the rotation is not orthogonal (row \(i) · row \(j) = \(s))")
                }
            }
        }
    }

    /// `out = R·x` (`rotation` is set).
    @inline(__always)
    func rotate(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, _ r: UnsafePointer<Float>) {
        let d = dimension
        for i in 0..<d { out[i] = VectorMath.dot(r + i * d, x, d) }
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

    /// The default number of subquantizers for `dimension`: subvectors of 3 values (100 for
    /// 300-d: 100 bytes a row instead of 1,200, a store about 8× smaller than float32 once the
    /// words and SQLite's own bytes are counted) when 3 divides it, else of 4 values, otherwise
    /// the divisor closest to `dimension / 3` between `dimension / 8` and `dimension / 2`; nil
    /// when there is none.
    public static func defaultSubquantizers(dimension: Int) -> Int? {
        guard dimension > 0 else { return nil }
        if dimension % 3 == 0 { return dimension / 3 }
        if dimension % 4 == 0 { return dimension / 4 }
        let target = Double(dimension) / 3
        let candidates = (1...dimension).filter { dimension % $0 == 0 && 8 * $0 >= dimension && 2 * $0 <= dimension }
        return candidates.min { abs(Double($0) - target) < abs(Double($1) - target) }
    }

    /// The code of one vector (`dimension` values): the nearest centroid of each subvector
    /// (of the rotated vector, for OPQ).
    package func encode(_ vector: UnsafePointer<Float>, into codes: UnsafeMutablePointer<UInt8>) {
        guard let rotation else { return encodeRotated(vector, into: codes) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: dimension) { y in
            guard let yBase = y.baseAddress else { return }
            rotation.withUnsafeBufferPointer { r in
                guard let rBase = r.baseAddress else { return }
                rotate(vector, into: yBase, rBase)
            }
            encodeRotated(yBase, into: codes)
        }
    }

    /// The code of an already rotated vector (the vector itself for plain PQ).
    package func encodeRotated(_ vector: UnsafePointer<Float>, into codes: UnsafeMutablePointer<UInt8>) {
        let sub = subdimension, k = Self.centroids
        transposed.withUnsafeBufferPointer { books in
            guard let base = books.baseAddress else { return }
            for m in 0..<subquantizers {
                codes[m] = UInt8(Self.nearestCentroid(vector + m * sub, base + m * sub * k, sub))
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
                encode(vb, into: ob)
            }
        }
        return out
    }

    /// Index of the centroid nearest to `x` (`sub` values) in `book`, a transposed codebook
    /// (`sub` rows of `centroids` values), eight centroids at a time. Ties go to the lower index.
    @inline(__always)
    static func nearestCentroid(_ x: UnsafePointer<Float>, _ book: UnsafePointer<Float>, _ sub: Int) -> Int {
        let k = centroids
        var bestDistance = SIMD8<Float>(repeating: .infinity)
        var bestIndex = SIMD8<Int32>(repeating: 0)
        var index = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let raw = UnsafeRawPointer(book)
        for block in stride(from: 0, to: k, by: 8) {
            var distance = SIMD8<Float>()
            for j in 0..<sub {
                let t = SIMD8<Float>(repeating: x[j]) - raw.loadUnaligned(fromByteOffset: 4 * (j * k + block), as: SIMD8<Float>.self)
                distance += t * t  // not addProduct: without FMA in the target it becomes a libm call per lane
            }
            let better = distance .< bestDistance
            bestDistance.replace(with: distance, where: better)
            bestIndex.replace(with: index, where: better)
            index &+= 8
        }
        var best = Int(bestIndex[0]), smallest = bestDistance[0]
        for lane in 1..<8 where bestDistance[lane] < smallest || (bestDistance[lane] == smallest && Int(bestIndex[lane]) < best) {
            smallest = bestDistance[lane]
            best = Int(bestIndex[lane])
        }
        return best
    }

    /// Writes the reconstruction of `codes` (`subquantizers` bytes) to `out` (`dimension`
    /// values), turned back for OPQ, not renormalised.
    package func reconstruct(_ codes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
        guard let rotation else { return reconstructRotated(codes, into: out) }
        let d = dimension
        withUnsafeTemporaryAllocation(of: Float.self, capacity: d) { y in
            guard let yBase = y.baseAddress else { return }
            reconstructRotated(codes, into: yBase)
            // x = Rᵀ·y
            for i in 0..<d { out[i] = 0 }
            rotation.withUnsafeBufferPointer { r in
                guard let rBase = r.baseAddress else { return }
                for k in 0..<d {
                    let yk = yBase[k], row = rBase + k * d
                    for i in 0..<d { out[i] += yk * row[i] }
                }
            }
        }
    }

    /// Writes the concatenated centroids of `codes` to `out`: the reconstruction in the rotated
    /// space for OPQ (the reconstruction itself for plain PQ).
    package func reconstructRotated(_ codes: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<Float>) {
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

    /// Decodes `count` rows of codes (`subquantizers` bytes each, row-major) into `out`
    /// (`count × dimension` values, unit vectors), block by block: the rotation of OPQ is
    /// undone with one matrix product per block.
    package func decodeAll(codes: UnsafePointer<UInt8>, count: Int, into out: UnsafeMutablePointer<Float>, threads: Int) {
        let d = dimension, m = subquantizers, block = 4096
        let target = SharedPointer(out), source = SharedPointer(UnsafeMutablePointer(mutating: codes))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rotation == nil ? 1 : block * d)
        defer { scratch.deallocate() }
        var start = 0
        while start < count {
            let rows = min(block, count - start), s0 = start
            let staging = rotation == nil ? SharedPointer(out + s0 * d) : SharedPointer(scratch)
            Parallel.forEachRange(count: rows, threads: threads) { range in
                for r in range { reconstructRotated(source.base + (s0 + r) * m, into: staging.base + r * d) }
            }
            if let rotationTransposed {
                rotationTransposed.withUnsafeBufferPointer { rt in
                    guard let rtBase = rt.baseAddress else { return }
                    // x = Rᵀ·y for every row: X = Y · (Rᵀ)ᵀ.
                    MatrixProduct.multiplyTransposed(m: rows, n: d, d: d, a: scratch, b: rtBase, c: out + s0 * d, threads: threads)
                }
            }
            Parallel.forEachRange(count: rows, threads: threads) { range in
                for r in range {
                    let row = target.base + (s0 + r) * d
                    let n = VectorMath.norm(UnsafeBufferPointer(start: row, count: d))
                    if n > 0, n.isFinite { for j in 0..<d { row[j] /= n } }
                }
            }
            start += rows
        }
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
        guard let rotation else { return lookupTableRotated(for: query, into: table) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: dimension) { y in
            guard let yBase = y.baseAddress else { return }
            rotation.withUnsafeBufferPointer { r in
                guard let rBase = r.baseAddress else { return }
                rotate(query, into: yBase, rBase)
            }
            lookupTableRotated(for: yBase, into: table)
        }
    }

    /// `lookupTable(for:into:)` for a query already rotated.
    func lookupTableRotated(for query: UnsafePointer<Float>, into table: UnsafeMutablePointer<Float>) {
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
