/// Text → input-row ids. Each distinct token string is resolved once (exact store word, then
/// lower-case store word, else a hashed bucket of the lower-case form, plus its character
/// n-grams with `subwords`) and cached.
package final class FeatureMap {
    package let config: FeatureConfig
    let lookup: (String) -> Int?
    /// Resolved tokens: one row (the usual case, kept without an array), or, with subwords,
    /// several (`multiple`); -1 marks a token with no row.
    private var single: [String: Int32] = [:]
    private var multiple: [String: [Int32]] = [:]
    private let ngrams: CharNgrams

    /// `lookup` gives the store row of a word (nil if absent).
    package init(config: FeatureConfig, lookup: @escaping (String) -> Int?) {
        self.config = config
        self.lookup = lookup
        ngrams = CharNgrams(minN: config.minN, maxN: config.maxN, buckets: max(1, config.buckets))
    }

    /// Appends the rows of one token to `out` (first its word row, then any subword rows) and
    /// returns the first one (-1: none).
    @inline(__always)
    func appendRows(of token: String, to out: inout [Int32]) -> Int32 {
        if let r = single[token] {
            if r >= 0 { out.append(r) }
            return r
        }
        if let rs = multiple[token] {
            out += rs
            return rs.first ?? -1
        }
        let rs = resolve(token)
        if rs.count <= 1 { single[token] = rs.first ?? -1 } else { multiple[token] = rs }
        out += rs
        return rs.first ?? -1
    }

    /// The rows of a token seen for the first time.
    private func resolve(_ token: String) -> [Int32] {
        if let id = lookup(token) { return [Int32(id)] }
        let lower = TextTokens.lowercased(token)
        if lower != token, let id = lookup(lower) { return [Int32(id)] }
        guard config.buckets > 0 else { return [] }
        let h = CharNgrams.fnv1a(lower.utf8) % UInt32(config.buckets)
        var out = [Int32(config.storeCount + Int(h))]
        if config.subwords {
            for b in ngrams.buckets(of: lower) { out.append(Int32(config.storeCount + b)) }
        }
        return out
    }

    /// Input rows of a text: every token's rows, then hashed word n-grams of 2...wordNgrams.
    package func encode(_ text: String) -> [Int32] {
        var out: [Int32] = []
        var heads: [UInt64] = []
        TextTokens.forEach(text) { bytes in
            let first = appendRows(of: String(decoding: bytes, as: UTF8.self), to: &out)
            heads.append(UInt64(UInt32(bitPattern: first)))
        }
        if config.wordNgrams >= 2 && config.buckets > 0 && heads.count >= 2 {
            let B = UInt64(config.buckets)
            for i in 0..<heads.count {
                var h = heads[i]
                var j = i + 1
                while j < heads.count && j < i + config.wordNgrams {
                    h = h &* 116_049_371 &+ heads[j]
                    out.append(Int32(config.storeCount + Int(h % B)))
                    j += 1
                }
            }
        }
        return out
    }
}

/// Documents as one flat array of input rows with offsets.
package struct EncodedDocs: Sendable {
    package var offsets: [Int] = [0]
    package var rows: [Int32] = []
    package var count: Int { offsets.count - 1 }

    package init() {}

    package mutating func append(_ r: [Int32]) { rows += r; offsets.append(rows.count) }

    package mutating func append(_ other: EncodedDocs) {
        let base = rows.count
        rows += other.rows
        offsets += other.offsets.dropFirst().map { $0 + base }
    }

    /// Encodes `texts` on `threads` threads (one cache per thread); the result is in order.
    package static func encode(_ texts: [String], config: FeatureConfig, lookup: @escaping @Sendable (String) -> Int?,
                              threads: Int) -> EncodedDocs {
        let t = max(1, min(threads, texts.count / 500 + 1))
        var parts = [EncodedDocs](repeating: EncodedDocs(), count: t)
        parts.withUnsafeMutableBufferPointer { buf in
            guard let start = buf.baseAddress else { return }
            let shared = SharedPointer(start)
            Parallel.run(threads: t) { w in
                let map = FeatureMap(config: config, lookup: lookup)
                var part = EncodedDocs()
                for i in (texts.count * w / t)..<(texts.count * (w + 1) / t) { part.append(map.encode(texts[i])) }
                shared[w] = part
            }
        }
        var all = EncodedDocs()
        for p in parts { all.append(p) }
        return all
    }
}
