#if canImport(Glibc)
import Glibc
#endif
import CSignalCleanup

/// Paths that SIGINT, SIGTERM and SIGHUP remove before the process dies (the temporary files
/// `TemporaryFiles` registers).
///
/// The handler is async-signal-safe: it runs in C over a table of atomic pointers
/// (CSignalCleanup), allocates nothing, takes no lock and never touches Swift state. This side
/// owns the bookkeeping (which slot holds which path, which slots are free) under one
/// lock (`Locked`), allocates every copy and chunk before publishing it, and frees a copy
/// only after taking it back out of the table. The table grows in chunks and never drops a
/// registration; it only fails the way every Swift allocation does, when memory runs out.
package enum SignalCleanup {
    private struct Book {
        var next = 0
        var free: [Int] = []
        var slots: [String: [Int]] = [:]
        var installed = false
    }

    private static let book = Locked(Book())

    /// Removes `path` on a fatal signal until `remove(path)` (a path added twice needs two removes).
    package static func add(_ path: String) {
        book.withLock { b in
            if !b.installed {
                _ = ws_cleanup_install()
                b.installed = true
            }
            let slot: Int
            if let reused = b.free.popLast() { slot = reused } else { slot = b.next; b.next += 1 }
            let chunk = ws_cleanup_chunk_of(slot)
            if chunk >= 0 && ws_cleanup_has_chunk(chunk) == 0 {
                let bytes = ws_cleanup_chunk_size(chunk) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
                let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
                block.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
                // Published blocks live as long as the process (the handler may read them any time).
                if ws_cleanup_attach_chunk(chunk, block) != 0 { block.deallocate() }
            }
            let copy = path.withCString { c -> UnsafeMutablePointer<CChar> in
                let n = strlen(c) + 1
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: n)
                p.initialize(from: c, count: n)
                return p
            }
            if let old = ws_cleanup_exchange(slot, copy) { old.deallocate() }
            b.slots[path, default: []].append(slot)
        }
    }

    /// Stops removing `path` on a signal (every registration of it).
    package static func remove(_ path: String) {
        book.withLock { b in
            guard let slots = b.slots.removeValue(forKey: path) else { return }
            for slot in slots {
                if let old = ws_cleanup_exchange(slot, nil) { old.deallocate() }
                b.free.append(slot)
            }
        }
    }

    /// How many paths a signal would remove now.
    package static var published: Int { book.withLock { _ in Int(ws_cleanup_published()) } }

    /// Whether `path` is registered.
    package static func contains(_ path: String) -> Bool { book.withLock { $0.slots[path] != nil } }
}
