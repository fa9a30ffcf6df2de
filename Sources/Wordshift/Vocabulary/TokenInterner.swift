/// Counts tokens by their bytes without building a `String` per token: an open-addressing hash
/// table over a byte arena. Each distinct token is copied once and gets a dense provisional id
/// (order of first appearance).
final class TokenInterner {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private(set) var counts: [Int64] = []
    private var slots: [Int32]
    private var mask: Int

    var count: Int { counts.count }

    init() {
        arenaCapacity = 1 << 20
        arena = .allocate(capacity: arenaCapacity)
        slots = [Int32](repeating: -1, count: 1 << 16)
        mask = (1 << 16) - 1
    }

    deinit { arena.deallocate() }

    /// Adds one occurrence of `bytes`; returns its provisional id.
    @inline(__always)
    func add(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let h = TokenInterner.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            let i = Int(id)
            if hashes[i] == h && Int(lengths[i]) == bytes.count && equal(i, bytes) {
                counts[i] += 1
                return id
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(counts.count)
        store(bytes)
        hashes.append(h)
        counts.append(1)
        slots[slot] = id
        if counts.count * 2 > slots.count { grow() }
        return id
    }

    func word(_ id: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: arena + starts[id], count: Int(lengths[id])), as: UTF8.self)
    }

    func bytes(_ id: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + starts[id], count: Int(lengths[id]))
    }

    private func equal(_ i: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return memcmp(arena + starts[i], base, bytes.count) == 0
    }

    private func store(_ bytes: UnsafeRawBufferPointer) {
        if arenaCount + bytes.count > arenaCapacity {
            let newCapacity = max(arenaCapacity * 2, arenaCount + bytes.count)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = bigger
            arenaCapacity = newCapacity
        }
        if let base = bytes.baseAddress { memcpy(arena + arenaCount, base, bytes.count) }
        starts.append(arenaCount)
        lengths.append(Int32(bytes.count))
        arenaCount += bytes.count
    }

    private func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for i in 0..<hashes.count {
            var slot = Int(truncatingIfNeeded: hashes[i]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }

    /// A fast 64-bit hash of a byte string (8 bytes per step, then a final mix).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let p = bytes.baseAddress else { return h }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            let v = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }
}

#if canImport(Glibc)
import Glibc
#endif
