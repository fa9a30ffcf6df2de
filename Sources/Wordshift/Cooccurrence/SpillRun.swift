#if canImport(Glibc)
import Glibc
#endif

/// A sorted run of entries in a temporary file (raw 16-byte entries). The file is registered
/// with `TemporaryFiles`, so an interrupt removes it; `remove()` deletes it.
final class SpillRun {
    let path: String
    private(set) var count = 0

    /// Writes all entries of `source` (sorted, keys unique) into a new file in `directory`.
    init(directory: String, index: Int, source: EntrySource) throws {
        path = TemporaryFileOwner.scratch(in: directory, kind: "cooc-\(index).run")
        TemporaryFiles.register(path)
        do {
            guard let f = fopen(path, "wb") else {
                throw WordshiftError.io(path: path, message: "cannot create spill file: \(System.errnoString())")
            }
            var buffer = [CooccurrenceEntry]()
            buffer.reserveCapacity(1 << 15)
            var failed = false
            func flush() {
                if buffer.isEmpty || failed { return }
                let n = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 16, $0.count, f) }
                if n != buffer.count { failed = true }
                buffer.removeAll(keepingCapacity: true)
            }
            while let e = try source.next() {
                buffer.append(e)
                count += 1
                if buffer.count == 1 << 15 { flush() }
            }
            flush()
            let reason = System.errnoString()
            if fclose(f) != 0 || failed {
                throw WordshiftError.io(path: path, message: "cannot write spill file (disk full?): \(failed ? reason : System.errnoString())")
            }
        } catch {
            TemporaryFiles.remove(path)
            throw error
        }
    }

    func reader(bufferEntries: Int) throws -> EntrySource { try SpillRunReader(path: path, bufferEntries: bufferEntries) }

    func remove() { TemporaryFiles.remove(path) }
}

private final class SpillRunReader: EntrySource {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [CooccurrenceEntry]
    private var filled = 0, position = 0

    init(path: String, bufferEntries: Int) throws {
        self.path = path
        guard let f = fopen(path, "rb") else {
            throw WordshiftError.io(path: path, message: "cannot open spill file: \(System.errnoString())")
        }
        file = f
        buffer = [CooccurrenceEntry](repeating: CooccurrenceEntry(key: 0, units: 0), count: max(16, bufferEntries))
    }

    deinit { if let file { fclose(file) } }

    func next() throws -> CooccurrenceEntry? {
        if position == filled {
            guard let file else { return nil }
            filled = buffer.withUnsafeMutableBufferPointer { fread($0.baseAddress, 16, $0.count, file) }
            position = 0
            if filled == 0 {
                let bad = ferror(file) != 0
                fclose(file)
                self.file = nil
                if bad { throw WordshiftError.io(path: path, message: "cannot read spill file") }
                return nil
            }
        }
        position += 1
        return buffer[position - 1]
    }
}
