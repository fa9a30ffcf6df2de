import CICUShim

/// Produces the normalised form of a token: ASCII is lower-cased here, byte by byte; tokens
/// with other characters go through ICU's NFKC_Casefold (or NFKC with `--keep-case`).
struct TokenNormaliser: ~Copyable {
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init() {
        capacity = 4 * maximumTokenBytes + 64
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    mutating func lowercaseASCII(_ p: UnsafePointer<UInt8>, _ count: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        for k in 0..<count {
            let b = p[k]
            buffer[k] = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
        }
        body(UnsafeRawBufferPointer(start: buffer, count: count))
    }

    mutating func nfkc(_ p: UnsafePointer<UInt8>, _ count: Int, fold: Bool, _ body: (UnsafeRawBufferPointer) -> Void) {
        var needed = convert(p, count, fold)
        if needed > capacity {
            buffer.deallocate()
            capacity = Int(needed) + 16
            buffer = .allocate(capacity: capacity)
            needed = convert(p, count, fold)
        }
        if needed < 0 {  // ICU failed: keep the raw bytes rather than lose the token
            body(UnsafeRawBufferPointer(start: p, count: count))
            return
        }
        body(UnsafeRawBufferPointer(start: buffer, count: needed))
    }

    private func convert(_ p: UnsafePointer<UInt8>, _ count: Int, _ fold: Bool) -> Int {
        let r = p.withMemoryRebound(to: CChar.self, capacity: count) { src in
            buffer.withMemoryRebound(to: CChar.self, capacity: capacity) { dst in
                cicushim_nfkc_utf8(src, Int64(count), dst, Int64(capacity), fold ? 1 : 0)
            }
        }
        return Int(r)
    }
}
