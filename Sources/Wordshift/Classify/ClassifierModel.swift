import CKernels
import Glibc

/// The parameters of a fastText-style head: an input matrix (store rows + hashed rows), an
/// optional tanh hidden layer, a softmax output layer and, for adversarial adaptation, a
/// logistic domain classifier on the averaged input. Plain buffers owned by the model; during
/// training the workers only read them while a phase runs and the trainer writes them between
/// phases (`HogwildTrainer`), so no two threads ever touch them at once.
package final class ClassifierModel: @unchecked Sendable {
    package let config: ClassifierConfig
    package let labelCount: Int
    package let dimension: Int
    package let rows: Int
    /// rows × dimension
    let input: UnsafeMutableBufferPointer<Float>
    /// hidden × dimension, hidden
    let w1: UnsafeMutableBufferPointer<Float>
    let b1: UnsafeMutableBufferPointer<Float>
    /// labels × width (width = hidden or dimension), labels
    let w2: UnsafeMutableBufferPointer<Float>
    let b2: UnsafeMutableBufferPointer<Float>
    /// dimension + 1 (weights, bias)
    let domain: UnsafeMutableBufferPointer<Float>
    /// Rows that training data touched (the only non-store rows worth saving).
    var touched: [Bool]
    /// Start addresses of the buffers above (each allocated with at least one element).
    let inputBase, w1Base, b1Base, w2Base, b2Base, domainBase: UnsafeMutablePointer<Float>

    package var width: Int { config.hidden > 0 ? config.hidden : dimension }
    /// First input row that training may change.
    var firstTrainableRow: Int { config.freeze ? config.features.storeCount : 0 }

    /// A zeroed buffer of `n` floats (at least one element is allocated) and its start; freed
    /// with `free`. `calloc` takes large buffers as zero pages from the kernel, so the hashed
    /// rows no text reaches cost neither time nor resident memory (most of a head's buckets
    /// when it is loaded to predict).
    static func buffer(_ n: Int) -> (UnsafeMutableBufferPointer<Float>, UnsafeMutablePointer<Float>) {
        let count = max(1, n)
        guard let raw = calloc(count, MemoryLayout<Float>.stride) else {
            fatalError("out of memory: cannot allocate \(count) floats for a classifier")
        }
        let p = raw.bindMemory(to: Float.self, capacity: count)
        return (UnsafeMutableBufferPointer(start: p, count: count), p)
    }

    /// Zeroed parameters; the store's vectors fill rows 0..<storeCount when `vectors` is given.
    init(config: ClassifierConfig, labelCount: Int, vectors: EmbeddingIndex?) {
        self.config = config
        self.labelCount = labelCount
        dimension = config.dimension
        rows = config.features.rows
        (input, inputBase) = Self.buffer(rows * dimension)
        (w1, w1Base) = Self.buffer(config.hidden * dimension)
        (b1, b1Base) = Self.buffer(config.hidden)
        (w2, w2Base) = Self.buffer(labelCount * (config.hidden > 0 ? config.hidden : config.dimension))
        (b2, b2Base) = Self.buffer(labelCount)
        (domain, domainBase) = Self.buffer(dimension + 1)
        touched = [Bool](repeating: false, count: rows)
        if let vectors { loadStoreRows(vectors) }
    }

    deinit {
        for b in [inputBase, w1Base, b1Base, w2Base, b2Base, domainBase] { free(b) }
    }

    /// Copies the store's original vectors into rows 0..<storeCount.
    func loadStoreRows(_ index: EmbeddingIndex) {
        let n = min(index.count, config.features.storeCount)
        for r in 0..<n {
            let norm = index.norms[r]
            let src = index.unit(r), dst = inputBase + r * dimension
            for j in 0..<dimension { dst[j] = src[j] * norm }
        }
    }

    /// Random initial values for touched hashed rows and the hidden layer (seeded per row,
    /// so the result does not depend on thread count).
    func initialiseTrainable(seed: UInt64) { initialiseTrainable(seed: seed, except: nil) }

    /// `initialiseTrainable`, leaving the rows `except` marks (and, with `except`, the hidden
    /// layer) as they are: a warm start keeps what it copied and initialises only new rows.
    func initialiseTrainable(seed: UInt64, except: [Bool]?) {
        let d = dimension
        let scale = 1 / Float(d)
        for r in config.features.storeCount..<rows where touched[r] && !(except.map { r < $0.count && $0[r] } ?? false) {
            var rng = SeededRandom(seed: seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)
            let p = inputBase + r * d
            for j in 0..<d { p[j] = (rng.nextUnitFloat() * 2 - 1) * scale }
        }
        if config.hidden > 0 && except == nil {
            var rng = SeededRandom(seed: seed ^ 0xA5A5_5A5A)
            let s = (6 / Float(d + config.hidden)).squareRoot()
            for i in 0..<w1.count { w1[i] = (rng.nextUnitFloat() * 2 - 1) * s }
        }
    }

    /// Marks the rows of `docs` as touched.
    func markTouched(_ docs: EncodedDocs) {
        for r in docs.rows where r >= 0 && Int(r) < rows { touched[Int(r)] = true }
    }

    /// How far ahead of the row being added `average` asks for the next row.
    static let rowsAhead = 4

    /// Averages the input rows of one document into `x`; returns the row count used.
    @inline(__always)
    func average(_ docRows: UnsafeBufferPointer<Int32>, into x: UnsafeMutablePointer<Float>) -> Int {
        let d = dimension, count = docRows.count
        x.initialize(repeating: 0, count: d)
        var n = 0
        let base = inputBase
        for k in 0..<count {
            // A document's rows lie scattered over a large matrix: ask for the row a few places
            // on while this one is added.
            if k + Self.rowsAhead < count {
                let next = docRows[k + Self.rowsAhead]
                if next >= 0 && Int(next) < rows { ckernels_prefetch_span(base + Int(next) * d, d * 4) }
            }
            let r = docRows[k]
            guard r >= 0 && Int(r) < rows else { continue }
            DenseKernels.add(base + Int(r) * d, x, d)
            n += 1
        }
        if n > 1 {
            let inv = 1 / Float(n)
            for j in 0..<d { x[j] *= inv }
        }
        return n
    }

    /// Class probabilities from an averaged input `x`; `z` receives the hidden activations.
    @inline(__always)
    func probabilities(x: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
        probabilities(x: x, z: z, out: out, w1: w1Base, b1: b1Base, w2: w2Base, b2: b2Base)
    }

    /// `probabilities` with the dense layers read from `w1`, `b1`, `w2`, `b2` (this model's
    /// shapes): a training worker passes its own copies.
    @inline(__always)
    func probabilities(x: UnsafePointer<Float>, z: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>,
                       w1: UnsafePointer<Float>, b1: UnsafePointer<Float>, w2: UnsafePointer<Float>, b2: UnsafePointer<Float>) {
        let d = dimension, h = config.hidden
        var top: UnsafePointer<Float> = x
        if h > 0 {
            for k in 0..<h { z[k] = tanhf(DenseKernels.dot(w1 + k * d, x, d) + b1[k]) }
            top = UnsafePointer(z)
        }
        let w = width
        for c in 0..<labelCount { out[c] = DenseKernels.dot(w2 + c * w, top, w) + b2[c] }
        DenseKernels.softmax(out, labelCount)
    }

    /// Probabilities for every document (rows of `labelCount`), on `threads` threads.
    package func predict(_ docs: EncodedDocs, threads: Int) -> [Float] {
        var out = [Float](repeating: 0, count: docs.count * labelCount)
        let L = labelCount
        out.withUnsafeMutableBufferPointer { ob in
            guard let start = ob.baseAddress else { return }
            let shared = SharedPointer(start)
            docs.rows.withUnsafeBufferPointer { rb in
                Parallel.forEachRange(count: docs.count, threads: threads) { range in
                    let x = UnsafeMutablePointer<Float>.allocate(capacity: dimension + width)
                    defer { x.deallocate() }
                    for i in range {
                        let doc = UnsafeBufferPointer(rebasing: rb[docs.offsets[i]..<docs.offsets[i + 1]])
                        _ = average(doc, into: x)
                        probabilities(x: x, z: x + dimension, out: shared.base + i * L)
                    }
                }
            }
        }
        return out
    }

    /// Averaged input of every document (n × dimension): the document features.
    package func features(_ docs: EncodedDocs, threads: Int) -> [Float] {
        var out = [Float](repeating: 0, count: docs.count * dimension)
        let d = dimension
        out.withUnsafeMutableBufferPointer { ob in
            guard let start = ob.baseAddress else { return }
            let shared = SharedPointer(start)
            docs.rows.withUnsafeBufferPointer { rb in
                Parallel.forEachRange(count: docs.count, threads: threads) { range in
                    for i in range {
                        _ = average(UnsafeBufferPointer(rebasing: rb[docs.offsets[i]..<docs.offsets[i + 1]]), into: shared.base + i * d)
                    }
                }
            }
        }
        return out
    }

    /// Copies every parameter from `other` (same shape).
    func copy(from other: ClassifierModel) {
        let pairs = [(inputBase, input.count, other.inputBase, other.input.count), (w1Base, w1.count, other.w1Base, other.w1.count),
                     (b1Base, b1.count, other.b1Base, other.b1.count), (w2Base, w2.count, other.w2Base, other.w2.count),
                     (b2Base, b2.count, other.b2Base, other.b2.count), (domainBase, domain.count, other.domainBase, other.domain.count)]
        for (dst, dstCount, src, srcCount) in pairs { dst.update(from: src, count: min(dstCount, srcCount)) }
        touched = other.touched
    }

    /// True when `other` has this model's parameter shapes (labels, rows, dimension, hidden
    /// units) and feature layout, so its parameters can seed this one.
    func sameLayout(as other: ClassifierModel) -> Bool {
        labelCount == other.labelCount && rows == other.rows && dimension == other.dimension
            && config.hidden == other.config.hidden && config.features == other.config.features
    }

    /// A parameter copy of the same shape.
    func clone() -> ClassifierModel {
        let m = ClassifierModel(config: config, labelCount: labelCount, vectors: nil)
        m.copy(from: self)
        return m
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension ClassifierModel {
    /// Best label per row of precomputed document features (n × dimension).
    package func predict(features: [Float]) -> [Int] {
        let d = dimension, n = d > 0 ? features.count / d : 0
        var out = [Int](repeating: 0, count: n)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: width + labelCount)
        defer { scratch.deallocate() }
        features.withUnsafeBufferPointer { f in
            guard let start = f.baseAddress else { return }
            for i in 0..<n {
                probabilities(x: start + i * d, z: scratch, out: scratch + width)
                var best = 0
                for c in 1..<max(1, labelCount) where scratch[width + c] > scratch[width + best] { best = c }
                out[i] = best
            }
        }
        return out
    }
}
