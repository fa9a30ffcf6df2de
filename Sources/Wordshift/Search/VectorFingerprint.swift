/// A 64-bit fingerprint of an index's unit matrix (rows, dimension and every bit of every
/// value). An approximate index records the fingerprint of the vectors it was built from; a
/// reader compares it with the vectors it loaded, so an index never answers over vectors it
/// was not built from. Fixed blocks of rows are hashed in parallel and combined in order, so
/// the value does not depend on the thread count.
extension EmbeddingIndex {
    /// The fingerprint as 16 hex digits.
    public func fingerprint(threads: Int = Parallel.defaultThreads) -> String {
        let rowsPerBlock = 4096
        let blocks = (count + rowsPerBlock - 1) / rowsPerBlock
        var hashes = [UInt64](repeating: 0, count: max(1, blocks))
        let d = dimension, n = count
        hashes.withUnsafeMutableBufferPointer { hb in
            guard let hp = hb.baseAddress, let base = units.baseAddress else { return }
            let out = SharedPointer(hp), src = SharedPointer(base)
            Parallel.forEachRange(count: blocks, threads: max(1, threads)) { range in
                for b in range {
                    let lo = b * rowsPerBlock, hi = min(n, lo + rowsPerBlock)
                    let bytes = UnsafeRawBufferPointer(start: src.base + lo * d, count: (hi - lo) * d * 4)
                    out[b] = Fingerprint64.hash(bytes, seed: UInt64(b))
                }
            }
        }
        let all = hashes.withUnsafeBytes { Fingerprint64.hash($0, seed: UInt64(count) &* 31 &+ UInt64(dimension)) }
        return Fingerprint64.hex(all)
    }
}

/// A fast non-cryptographic 64-bit hash of bytes (four independent multiply–xor lanes over
/// 32-bit words, then the tail bytes): it detects changed or damaged data, it does not resist
/// an adversary.
package enum Fingerprint64 {
    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let prime: UInt64 = 0x0000_0100_0000_01B3
        var h0: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed, h1 = h0 &+ 1, h2 = h0 &+ 2, h3 = h0 &+ 3
        let words = bytes.count / 4
        var i = 0
        if let base = bytes.baseAddress {
            while i + 4 <= words {
                h0 = (h0 ^ UInt64(base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) &* prime
                h1 = (h1 ^ UInt64(base.loadUnaligned(fromByteOffset: i * 4 + 4, as: UInt32.self))) &* prime
                h2 = (h2 ^ UInt64(base.loadUnaligned(fromByteOffset: i * 4 + 8, as: UInt32.self))) &* prime
                h3 = (h3 ^ UInt64(base.loadUnaligned(fromByteOffset: i * 4 + 12, as: UInt32.self))) &* prime
                h0 ^= h0 >> 29; h1 ^= h1 >> 29; h2 ^= h2 >> 29; h3 ^= h3 >> 29
                i += 4
            }
        }
        var h = h0 ^ (h1 &* 3) ^ (h2 &* 5) ^ (h3 &* 7) ^ UInt64(bytes.count)
        for j in (i * 4)..<bytes.count {
            h = (h ^ UInt64(bytes[j])) &* prime
        }
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    /// `value` as 16 hex digits.
    package static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
