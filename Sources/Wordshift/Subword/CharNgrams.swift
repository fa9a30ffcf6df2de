/// Character n-grams of a word as fastText computes them: the word is wrapped in `<` and
/// `>`, n-grams of `minN...maxN` code points are taken at every code-point start (the bare
/// `<` and `>` 1-grams excluded), and each is hashed with 32-bit FNV-1a over its bytes, where
/// every byte is sign-extended first (fastText hashes `int8_t` chars), modulo `buckets`.
public struct CharNgrams: Sendable, Equatable, Codable {
    /// Shortest n-gram, in code points (fastText's `minn`, default 3).
    public var minN: Int
    /// Longest n-gram, in code points (fastText's `maxn`, default 6).
    public var maxN: Int
    /// Number of hash buckets n-grams are mapped into (fastText's `bucket`, default 2,000,000).
    public var buckets: Int
    /// Longest word (in bytes) whose n-grams are computed; longer words use their prefix.
    public var maxWordBytes: Int

    /// fastText's default n-gram settings (3–6 code points, 2 M buckets); words beyond
    /// `maxWordBytes` bytes are cut to that prefix first.
    public init(minN: Int = 3, maxN: Int = 6, buckets: Int = 2_000_000, maxWordBytes: Int = 256) {
        self.minN = minN
        self.maxN = maxN
        self.buckets = buckets
        self.maxWordBytes = maxWordBytes
    }

    /// fastText's hash of a byte string.
    @inline(__always)
    public static func fnv1a<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var h: UInt32 = 2_166_136_261
        for b in bytes {
            h ^= UInt32(bitPattern: Int32(Int8(bitPattern: b)))
            h = h &* 16_777_619
        }
        return h
    }

    /// Bucket ids of the n-grams of `word`, in fastText's order.
    public func buckets(of word: String) -> [Int] {
        var out: [Int] = []
        forEachNgram(of: word) { bytes in out.append(Int(Self.fnv1a(bytes) % UInt32(buckets))) }
        return out
    }

    /// The n-gram strings of `word` (for display and tests).
    public func ngrams(of word: String) -> [String] {
        var out: [String] = []
        forEachNgram(of: word) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// Calls `body` with the bytes of each n-gram of `<word>`.
    public func forEachNgram(of word: String, _ body: (ArraySlice<UInt8>) -> Void) {
        guard minN > 0, maxN >= minN, buckets > 0 else { return }
        var bytes: [UInt8] = [60]
        bytes += word.utf8.prefix(maxWordBytes)
        bytes.append(62)
        let n = bytes.count
        for i in 0..<n where bytes[i] & 0xC0 != 0x80 {
            var j = i
            var chars = 0
            while j < n && chars < maxN {
                j += 1
                while j < n && bytes[j] & 0xC0 == 0x80 { j += 1 }
                chars += 1
                if chars >= minN && !(chars == 1 && (i == 0 || j == n)) {
                    body(bytes[i..<j])
                }
            }
        }
    }
}
