/// Learning the codebooks of a ``ProductQuantizer``: k-means with k-means++ seeding, run
/// independently in every subspace on the same seeded sample of rows; for optimized PQ, after
/// turning the sample onto its principal axes dealt out to balance the variance of the subspaces.
extension ProductQuantizer {
    /// How codebooks are learned.
    public struct TrainingOptions: Sendable, Equatable, Codable {
        /// Subvectors per row; nil picks ``ProductQuantizer/defaultSubquantizers(dimension:)``.
        public var subquantizers: Int?
        /// Rows k-means learns from (a seeded sample when the store has more; at least 256).
        public var sample: Int
        /// Lloyd iterations after seeding (fewer when the assignment stops changing).
        public var iterations: Int
        /// Seed of the sample and of the k-means++ choices: the same seed gives the same codebooks
        /// whatever the thread count.
        public var seed: UInt64
        /// Worker threads (subspaces are learned in parallel; rows are encoded in parallel).
        public var threads: Int
        /// Optimized PQ: rotate onto the sample's principal axes, dealt out so that every
        /// subspace holds about the same share of the variance, before quantizing.
        public var optimized: Bool

        /// Defaults: 100,000 sampled rows, 25 iterations, seed 1, every core, optimized.
        public init(subquantizers: Int? = nil, sample: Int = 100_000, iterations: Int = 25, seed: UInt64 = 1,
                    threads: Int = Parallel.defaultThreads, optimized: Bool = true) {
            self.optimized = optimized
            self.subquantizers = subquantizers
            self.sample = sample
            self.iterations = iterations
            self.seed = seed
            self.threads = threads
        }
    }

    /// Learns codebooks from `rows` unit vectors of `dimension` values at `units` (row-major).
    /// Throws when the subquantizer count does not divide `dimension`, when there are fewer rows
    /// (or a smaller sample) than ``centroids``, or for an iteration count outside 1...1000.
    /// Reports a "k-means" stage counted in subquantizers.
    public static func train(units: UnsafePointer<Float>, rows: Int, dimension: Int, options: TrainingOptions = TrainingOptions(),
                             progress handler: ProgressHandler? = nil) throws -> ProductQuantizer {
        guard let m = options.subquantizers ?? defaultSubquantizers(dimension: dimension) else {
            throw WordshiftError.invalidArgument("no default number of subquantizers for dimension \(dimension); pass --subquantizers with a divisor of \(dimension)")
        }
        try checkShape(dimension: dimension, subquantizers: m)
        let k = centroids
        guard rows >= k else {
            throw WordshiftError.invalidArgument("product quantization needs at least \(k) vectors (one per centroid); this store has \(rows)")
        }
        guard options.sample >= k else {
            throw WordshiftError.invalidArgument("the k-means sample must hold at least \(k) rows (one per centroid), not \(options.sample)")
        }
        guard (1...1000).contains(options.iterations) else {
            throw WordshiftError.invalidArgument("k-means iterations must be in 1...1000, not \(options.iterations)")
        }
        let n = min(rows, options.sample), sub = dimension / m
        // The sample, laid out subspace by subspace so that each k-means reads contiguous rows.
        var random = SeededRandom(seed: options.seed)
        var chosen = Array(0..<rows)
        if n < rows {
            for i in 0..<n { chosen.swapAt(i, i + random.next(below: rows - i)) }
            chosen.removeSubrange(n...)
            chosen.sort()
        }
        var rowsSample = [Float](repeating: 0, count: n * dimension)
        for (i, r) in chosen.enumerated() {
            let row = units + r * dimension
            for j in 0..<dimension { rowsSample[i * dimension + j] = row[j] }
        }
        var rotation: [Float]?
        if options.optimized {
            let r = balancedPrincipalRotation(rowsSample, count: n, dimension: dimension, subquantizers: m, threads: options.threads)
            var turned = [Float](repeating: 0, count: n * dimension)
            rowsSample.withUnsafeBufferPointer { a in
                r.withUnsafeBufferPointer { b in
                    turned.withUnsafeMutableBufferPointer { c in
                        guard let aBase = a.baseAddress, let bBase = b.baseAddress, let cBase = c.baseAddress else { return }
                        // Y = X · Rᵀ: every sample row turned.
                        MatrixProduct.multiplyTransposed(m: n, n: dimension, d: dimension, a: aBase, b: bBase, c: cBase, threads: options.threads)
                    }
                }
            }
            rowsSample = turned
            rotation = r
        }
        // The sample, laid out subspace by subspace so that each k-means reads contiguous rows.
        var data = [Float](repeating: 0, count: n * dimension)
        for i in 0..<n {
            for s in 0..<m {
                for j in 0..<sub { data[(s * n + i) * sub + j] = rowsSample[i * dimension + s * sub + j] }
            }
        }
        rowsSample = []
        var books = [Float](repeating: 0, count: dimension * k)
        let progress = ProgressReporter(handler)
        progress.begin("k-means", total: Double(m), unit: " subquantizers")
        let iterations = options.iterations, seed = options.seed
        data.withUnsafeBufferPointer { d in
            books.withUnsafeMutableBufferPointer { b in
                guard let dBase = d.baseAddress, let bBase = b.baseAddress else { return }
                let input = SharedPointer(UnsafeMutablePointer(mutating: dBase)), output = SharedPointer(bBase)
                // Each subspace writes only its own codebook slice.
                Parallel.forEachRange(count: m, threads: options.threads) { range in
                    for s in range {
                        var generator = SeededRandom(seed: seed &+ 0x9E37_79B9 &* UInt64(s + 1))
                        kMeans(input.base + s * n * sub, count: n, sub: sub, iterations: iterations,
                               random: &generator, out: output.base + s * k * sub)
                        progress.advance(by: 1)
                    }
                }
            }
        }
        progress.end()
        return try ProductQuantizer(dimension: dimension, subquantizers: m, codebooks: books, rotation: rotation)
    }

    /// The rotation of optimized PQ (parametric OPQ with variance-balanced allocation): the
    /// eigenvectors of the sample's covariance, largest eigenvalue first, each given to the
    /// subspace with the least variance so far that still has room. Rows of the result are the
    /// new axes (`y = R·x`).
    static func balancedPrincipalRotation(_ x: [Float], count n: Int, dimension d: Int, subquantizers m: Int, threads: Int) -> [Float] {
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(x[i * d + j]) } }
        for j in 0..<d { mean[j] /= Double(max(1, n)) }
        // Centered sample, transposed (d × n), so that Xcᵀ·Xc is one product.
        var centeredT = [Float](repeating: 0, count: d * n)
        for i in 0..<n { for j in 0..<d { centeredT[j * n + i] = x[i * d + j] - Float(mean[j]) } }
        var covariance = [Float](repeating: 0, count: d * d)
        centeredT.withUnsafeBufferPointer { a in
            covariance.withUnsafeMutableBufferPointer { c in
                guard let aBase = a.baseAddress, let cBase = c.baseAddress else { return }
                MatrixProduct.multiplyTransposed(m: d, n: d, d: n, a: aBase, b: aBase, c: cBase, threads: threads)
            }
        }
        // Symmetrise in double (the product's two halves may differ in the last bit).
        var sym = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d { sym[i * d + j] = (Double(covariance[i * d + j]) + Double(covariance[j * d + i])) / Double(2 * max(1, n)) } }
        let (values, vectors) = SymmetricEigen.decompose(sym, d)
        let order = (0..<d).sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        let sub = d / m
        var variance = [Double](repeating: 0, count: m), filled = [Int](repeating: 0, count: m)
        var r = [Float](repeating: 0, count: d * d)
        for i in order {
            var best = -1
            for b in 0..<m where filled[b] < sub && (best < 0 || variance[b] < variance[best]) { best = b }
            let row = best * sub + filled[best]
            filled[best] += 1
            variance[best] += max(0, values[i])
            for j in 0..<d { r[row * d + j] = Float(vectors[j * d + i]) }
        }
        return r
    }

    /// Lloyd's k-means of `count` points of `sub` values at `x` into ``centroids`` centroids
    /// written to `out` (row-major), seeded by k-means++. An emptied cluster takes a random point.
    static func kMeans(_ x: UnsafePointer<Float>, count n: Int, sub: Int, iterations: Int,
                       random: inout SeededRandom, out: UnsafeMutablePointer<Float>) {
        let k = centroids
        // k-means++: each next centroid is a point drawn with probability ∝ its squared
        // distance to the nearest centroid so far (uniformly when all distances are zero).
        var nearest = [Float](repeating: .infinity, count: n)
        var pick = random.next(below: n)
        for c in 0..<k {
            for j in 0..<sub { out[c * sub + j] = x[pick * sub + j] }
            if c == k - 1 { break }
            var total: Double = 0
            for i in 0..<n {
                var s: Float = 0
                for j in 0..<sub {
                    let t = x[i * sub + j] - out[c * sub + j]
                    s += t * t
                }
                if s < nearest[i] { nearest[i] = s }
                total += Double(nearest[i])
            }
            if total > 0 {
                var target = Double(random.nextUnitFloat()) * total
                pick = n - 1
                for i in 0..<n {
                    target -= Double(nearest[i])
                    if target < 0 { pick = i; break }
                }
            } else {
                pick = random.next(below: n)
            }
        }
        // Lloyd iterations over a transposed copy of the centroids (contiguous per value).
        var assignment = [Int32](repeating: -1, count: n)
        var transposed = [Float](repeating: 0, count: k * sub)
        var sums = [Double](repeating: 0, count: k * sub)
        var sizes = [Int](repeating: 0, count: k)
        for _ in 0..<iterations {
            for c in 0..<k { for j in 0..<sub { transposed[j * k + c] = out[c * sub + j] } }
            var changed = false
            transposed.withUnsafeBufferPointer { t in
                guard let tBase = t.baseAddress else { return }
                for i in 0..<n {
                    let a = Int32(nearestCentroid(x + i * sub, tBase, sub))
                    if a != assignment[i] { assignment[i] = a; changed = true }
                }
            }
            if !changed { break }
            for i in 0..<sums.count { sums[i] = 0 }
            for c in 0..<k { sizes[c] = 0 }
            for i in 0..<n {
                let c = Int(assignment[i])
                sizes[c] += 1
                for j in 0..<sub { sums[c * sub + j] += Double(x[i * sub + j]) }
            }
            for c in 0..<k {
                if sizes[c] == 0 {
                    let p = random.next(below: n)
                    for j in 0..<sub { out[c * sub + j] = x[p * sub + j] }
                } else {
                    for j in 0..<sub { out[c * sub + j] = Float(sums[c * sub + j] / Double(sizes[c])) }
                }
            }
        }
    }

    /// The codes of `rows` unit vectors at `units` (`subquantizers` bytes per row, row-major),
    /// encoded on `threads` threads (for OPQ, rotated block by block with one matrix product).
    /// Reports an "encode" stage counted in vectors.
    package func encodeAll(units: UnsafePointer<Float>, rows: Int, threads: Int, progress: ProgressReporter) -> [UInt8] {
        var codes = [UInt8](repeating: 0, count: rows * subquantizers)
        progress.begin("encode", total: Double(rows), unit: " vectors")
        let d = dimension, m = subquantizers, block = 4096
        let turned = UnsafeMutablePointer<Float>.allocate(capacity: rotation == nil ? 1 : block * d)
        defer { turned.deallocate() }
        codes.withUnsafeMutableBufferPointer { c in
            guard let cBase = c.baseAddress else { return }
            let output = SharedPointer(cBase)
            var start = 0
            while start < rows {
                let count = min(block, rows - start), s0 = start
                var input = SharedPointer(UnsafeMutablePointer(mutating: units + s0 * d))
                if let rotation {
                    rotation.withUnsafeBufferPointer { r in
                        guard let rBase = r.baseAddress else { return }
                        MatrixProduct.multiplyTransposed(m: count, n: d, d: d, a: units + s0 * d, b: rBase, c: turned, threads: threads)
                    }
                    input = SharedPointer(turned)
                }
                let rowsIn = input
                Parallel.forEachRange(count: count, threads: threads) { range in
                    for r in range { encodeRotated(rowsIn.base + r * d, into: output.base + (s0 + r) * m) }
                }
                start += count
                progress.update(Double(start))
            }
        }
        progress.end()
        return codes
    }
}
