/// Reads a fastText binary model (`.bin`, format version 11 or 12): the arguments, the
/// dictionary and the dense input matrix (word rows, then `bucket` n-gram rows). The output
/// matrix is not needed for word vectors and is skipped. Quantised models are refused.
package struct FastTextModel: Sendable {
    package var dimension: Int
    package var ngrams: CharNgrams
    package var words: [String]
    package var counts: [Int]
    /// (words.count + buckets) × dimension, row-major: fastText's input matrix.
    package var input: [Float]

    package var bucketCount: Int { ngrams.buckets }

    /// The vector of an in-vocabulary word as fastText and gensim compute it: the mean of its
    /// own input row and its n-gram rows.
    package func wordVector(_ id: Int) -> [Float] {
        var rows = [id]
        rows += ngrams.buckets(of: words[id]).map { words.count + $0 }
        return mean(rows)
    }

    /// The vector of any word from its n-gram rows alone (nil if it has none).
    package func ngramVector(_ word: String) -> [Float]? {
        let rows = ngrams.buckets(of: word).map { words.count + $0 }
        return rows.isEmpty ? nil : mean(rows)
    }

    /// Input row `bucket` of the n-gram table.
    package func bucketRow(_ bucket: Int) -> ArraySlice<Float> {
        let r = words.count + bucket
        return input[r * dimension..<(r + 1) * dimension]
    }

    private func mean(_ rows: [Int]) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        for r in rows { for j in 0..<dimension { v[j] += input[r * dimension + j] } }
        let inv = 1 / Float(rows.count)
        return v.map { $0 * inv }
    }
}

package enum FastTextBinaryReader {
    static let magic: Int32 = 0x2F4F_16BA

    package static func read(path: String) throws -> FastTextModel {
        let input = BufferedInput(try ByteReader(path: path))
        func int32(_ what: String) throws -> Int32 { Int32(littleEndian: try input.readInteger(what: what)) }
        func int64(_ what: String) throws -> Int64 { Int64(littleEndian: try input.readInteger(what: what)) }
        func byte(_ what: String) throws -> UInt8 { try input.readInteger(what: what) }
        func fail(_ message: String) -> WordshiftError { .malformedBinary(path: path, byteOffset: input.offset, message: message) }

        guard try int32("the magic number") == magic else {
            throw WordshiftError.malformedBinary(path: path, byteOffset: 0, message: "not a fastText model (wrong magic number)")
        }
        let version = try int32("the version")
        guard version == 11 || version == 12 else {
            throw WordshiftError.malformedBinary(path: path, byteOffset: 4, message: "unsupported fastText model version \(version) (11 and 12 are supported)")
        }
        // Args: dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate, then t (double).
        var args: [Int] = []
        for name in ["dim", "ws", "epoch", "minCount", "neg", "wordNgrams", "loss", "model", "bucket", "minn", "maxn", "lrUpdateRate"] {
            args.append(Int(try int32("the argument \(name)")))
        }
        _ = try int64("the argument t")
        let dim = args[0], bucket = args[8], minn = args[9], maxn = args[10]
        guard dim > 0, dim <= 100_000, bucket >= 0, bucket <= 100_000_000, minn >= 0, maxn >= 0, maxn <= 100 else {
            throw fail("implausible model arguments (dim \(dim), bucket \(bucket), minn \(minn), maxn \(maxn))")
        }
        let size = Int(try int32("the dictionary size")), nwords = Int(try int32("the word count"))
        _ = try int32("the label count")
        _ = try int64("the token count")
        let pruneSize = try int64("the prune index size")
        guard size >= 0, nwords >= 0, nwords <= size, size <= 100_000_000 else { throw fail("implausible dictionary size \(size)") }
        // A dictionary entry is at least a NUL, an 8-byte count and a type byte.
        try DeclaredSize.require(size, of: "\(size) dictionary entries", atLeast: 10, available: input.remainingBound) { fail($0) }
        var words: [String] = [], counts: [Int] = []
        var seen = Set<String>()
        for _ in 0..<size {
            let entryOffset = input.offset
            var bytes: [UInt8] = []
            while true {
                let b = try byte("a dictionary word")
                if b == 0 { break }
                bytes.append(b)
                if bytes.count > 1 << 16 { throw fail("a dictionary entry without a terminator") }
            }
            let count = Int(try int64("a word count"))
            let type = try byte("an entry type")
            if type == 0 {
                let word = String(decoding: bytes, as: UTF8.self)
                guard !word.isEmpty, count >= 0, seen.insert(word).inserted else {
                    throw WordshiftError.malformedBinary(path: path, byteOffset: entryOffset, message: word.isEmpty
                        ? "an empty word in the dictionary" : count < 0 ? "the word \(Quote.word(word)) has a negative count"
                        : "the dictionary holds the word \(Quote.word(word)) twice")
                }
                words.append(word)
                counts.append(count)
            }
        }
        guard words.count == nwords else { throw fail("dictionary holds \(words.count) words, header says \(nwords)") }
        if pruneSize > 0 {
            throw fail("pruned (quantised) models are not supported")
        }
        if try byte("the quantisation flag") != 0 { throw fail("quantised models (.ftz) are not supported") }
        let rows = Int(try int64("the input matrix rows")), cols = Int(try int64("the input matrix columns"))
        guard cols == dim, rows == nwords + bucket else {
            throw fail("input matrix is \(rows) × \(cols); expected \(nwords + bucket) × \(dim)")
        }
        guard let values = DeclaredSize.product(rows, cols) else { throw fail("input matrix \(rows) × \(cols) is too large") }
        let matrixOffset = input.offset
        try DeclaredSize.require(values, of: "a \(rows) × \(cols) input matrix", atLeast: 4, available: input.remainingBound) { fail($0) }
        let matrix = try input.readFloats(values, what: "the input matrix")
        if let bad = matrix.firstIndex(where: { !$0.isFinite }) {
            throw WordshiftError.malformedBinary(path: path, byteOffset: matrixOffset + bad * 4, message: "non-finite value in the input matrix")
        }
        let ngrams = CharNgrams(minN: minn, maxN: maxn, buckets: maxn == 0 ? 0 : bucket)
        return FastTextModel(dimension: dim, ngrams: ngrams, words: words, counts: counts, input: matrix)
    }
}
