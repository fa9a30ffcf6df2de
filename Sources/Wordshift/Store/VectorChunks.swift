/// Where a store keeps its main vectors (docs/store.md, "Vector chunks").
///
/// Stores of format version 5 keep them in `vector_chunks`: chunk `k` holds rows
/// `k·R ..< min((k+1)·R, count)` as two BLOBs, their norms (float64) and their encoded unit
/// vectors, back to back. A few thousand large BLOBs instead of one row per word make import
/// and loading a matter of moving bytes; a one-word lookup still reads one indexed row (its
/// chunk, a few pages). Older stores (versions 1–4) keep one `vectors` row per word; readers
/// read both.
package enum VectorLayout: Sendable, Equatable {
    /// Table `vectors (id, norm, vector)`, one row per word (format versions 1–4).
    case rows
    /// Table `vector_chunks (chunk, norms, vectors)`, `rowsPerChunk` rows per chunk.
    case chunks(rowsPerChunk: Int)

    /// Rows per chunk of new stores: 64 rows of 300 float32 values are 77 kB, a handful of
    /// pages for a lookup and few enough chunks for bulk reads and writes.
    package static let defaultRowsPerChunk = 64
    /// The largest chunk a reader accepts (a meta value beyond it is damage).
    package static let maxRowsPerChunk = 1 << 16

    static let createChunksTable =
        "CREATE TABLE vector_chunks (chunk INTEGER PRIMARY KEY, norms BLOB NOT NULL, vectors BLOB NOT NULL);"

    /// The layout a store's meta declares (`vector_chunk_rows`; absent: one row per word).
    package init(meta: [String: String], path: String) throws {
        guard let text = meta[MetaKey.vectorChunkRows] else { self = .rows; return }
        guard let r = Int(text), r >= 1, r <= Self.maxRowsPerChunk else {
            throw WordshiftError.notAStore(path: path, message: "meta vector_chunk_rows is \(Quote.word(text)), expected 1…\(Self.maxRowsPerChunk)")
        }
        self = .chunks(rowsPerChunk: r)
    }

    /// The statement that finds one word: columns id, then (rows) norm and vector or (chunks)
    /// the chunk's norms and vectors; ``row(of:id:rowBytes:)`` takes the word's own row out of
    /// either. A word whose row is missing still comes back (NULLs), so damage is an error, not
    /// an absent word.
    var lookupSQL: String {
        switch self {
        case .rows:
            return "SELECT w.id, v.norm, v.vector FROM words w LEFT JOIN vectors v ON v.id = w.id WHERE w.word = ?"
        case .chunks(let r):
            return "SELECT w.id, c.norms, c.vectors FROM words w LEFT JOIN vector_chunks c ON c.chunk = w.id / \(r) WHERE w.word = ?"
        }
    }

    /// The norm and encoded row of `id` from a stepped ``lookupSQL`` statement; nil when the row
    /// is not where the layout says (a damaged store).
    func row(of s: SQLiteStatement, id: Int, rowBytes: Int) -> (norm: Double, bytes: UnsafeRawBufferPointer)? {
        switch self {
        case .rows:
            let blob = s.blob(2)
            return blob.count == rowBytes ? (s.double(1), blob) : nil
        case .chunks(let r):
            let norms = s.blob(1), vectors = s.blob(2)
            let i = id % r
            guard id >= 0, norms.count % 8 == 0, i < norms.count / 8, vectors.count == (norms.count / 8) * rowBytes else { return nil }
            return (Self.norm(i, in: norms), UnsafeRawBufferPointer(rebasing: vectors[(i * rowBytes)..<((i + 1) * rowBytes)]))
        }
    }

    /// Norm `i` of a chunk's `norms` (little-endian float64s; the caller checked the size).
    private static func norm(_ i: Int, in norms: UnsafeRawBufferPointer) -> Double {
        Double(bitPattern: UInt64(littleEndian: norms.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
    }

    /// Calls `body` with every row in id order: its id, norm and encoded bytes (valid only
    /// during the call). Throws ``WordshiftError/notAStore(path:message:)`` when a row or chunk
    /// is missing, out of order or of the wrong size, or there are more than `count`.
    func scan(_ db: SQLiteConnection, path: String, count: Int, rowBytes: Int,
              _ body: (Int, Double, UnsafeRawBufferPointer) throws -> Void) throws {
        switch self {
        case .rows:
            let s = try db.prepare("SELECT id, norm, vector FROM vectors ORDER BY id")
            var row = 0
            while try s.step() {
                let blob = s.blob(2)
                guard row < count, s.int(0) == row, blob.count == rowBytes else {
                    throw WordshiftError.notAStore(path: path, message: "vector row \(row) is missing or has the wrong size")
                }
                try body(row, s.double(1), blob)
                row += 1
            }
            guard row == count else { throw WordshiftError.notAStore(path: path, message: "\(count) words but \(row) vectors") }
        case .chunks(let r):
            let s = try db.prepare("SELECT chunk, norms, vectors FROM vector_chunks ORDER BY chunk")
            var row = 0
            while try s.step() {
                let n = min(r, count - row)
                let norms = s.blob(1), vectors = s.blob(2)
                guard n > 0, s.int(0) == row / r, norms.count == 8 * n, vectors.count == n * rowBytes else {
                    throw WordshiftError.notAStore(path: path, message: "vector chunk \(row / r) (rows from \(row)) is missing or has the wrong size")
                }
                for i in 0..<n {
                    try body(row, Self.norm(i, in: norms), UnsafeRawBufferPointer(rebasing: vectors[(i * rowBytes)..<((i + 1) * rowBytes)]))
                    row += 1
                }
            }
            guard row == count else { throw WordshiftError.notAStore(path: path, message: "\(count) words but \(row) vectors") }
        }
    }
}

/// Collects rows (norm and encoded bytes) and writes them to `vector_chunks`, one chunk per
/// ``VectorLayout/defaultRowsPerChunk`` rows, inside the caller's transaction.
final class VectorChunkWriter {
    let rowBytes: Int
    let rowsPerChunk: Int
    private let insert: SQLiteStatement
    private var norms: [UInt8]
    private var vectors: [UInt8]
    private var pending = 0
    private var chunk = 0

    /// Creates `vector_chunks` in `db` (which must not have one) and prepares the insert.
    init(_ db: SQLiteConnection, rowBytes: Int, rowsPerChunk: Int = VectorLayout.defaultRowsPerChunk) throws {
        self.rowBytes = rowBytes
        self.rowsPerChunk = rowsPerChunk
        try db.execute(VectorLayout.createChunksTable)
        insert = try db.prepare("INSERT INTO vector_chunks(chunk, norms, vectors) VALUES (?, ?, ?)")
        norms = [UInt8](repeating: 0, count: 8 * rowsPerChunk)
        vectors = [UInt8](repeating: 0, count: rowBytes * rowsPerChunk)
    }

    /// Appends one row: `fill` writes its `rowBytes` encoded bytes.
    func append(norm: Double, _ fill: (UnsafeMutableRawPointer) -> Void) throws {
        let i = pending
        norms.withUnsafeMutableBytes { $0.storeBytes(of: norm.bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self) }
        vectors.withUnsafeMutableBytes { raw in if let base = raw.baseAddress { fill(base + i * rowBytes) } }
        pending += 1
        if pending == rowsPerChunk { try flush() }
    }

    /// Appends `rows` rows: their norms and their encoded bytes, back to back. Whole chunks go
    /// to SQLite straight from the caller's memory; only a partial chunk is copied.
    func append(rows: Int, norms rowNorms: UnsafeBufferPointer<Double>, vectors rowVectors: UnsafeRawBufferPointer) throws {
        precondition(rowNorms.count == rows && rowVectors.count == rows * rowBytes, "one norm and rowBytes bytes per row")
        guard let source = rowVectors.baseAddress else { return }
        var i = 0
        while i < rows && (pending > 0 || rows - i < rowsPerChunk) {
            try append(norm: rowNorms[i]) { $0.copyMemory(from: source + i * rowBytes, byteCount: rowBytes) }
            i += 1
        }
        while rows - i >= rowsPerChunk {
            try write(norms: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(rowNorms)[(8 * i)..<(8 * (i + rowsPerChunk))]),
                      vectors: UnsafeRawBufferPointer(rebasing: rowVectors[(i * rowBytes)..<((i + rowsPerChunk) * rowBytes)]))
            i += rowsPerChunk
        }
        while i < rows {
            try append(norm: rowNorms[i]) { $0.copyMemory(from: source + i * rowBytes, byteCount: rowBytes) }
            i += 1
        }
    }

    /// Writes the rows collected since the last full chunk (the store's last, shorter chunk).
    func flush() throws {
        guard pending > 0 else { return }
        let n = pending
        try norms.withUnsafeBytes { m in
            try vectors.withUnsafeBytes { v in
                try write(norms: UnsafeRawBufferPointer(rebasing: m[0..<(8 * n)]), vectors: UnsafeRawBufferPointer(rebasing: v[0..<(rowBytes * n)]))
            }
        }
        pending = 0
    }

    /// Inserts the next chunk. The bytes are bound without a copy, so they must stay alive
    /// until the statement is reset here (the callers' closures outlive the call).
    private func write(norms: UnsafeRawBufferPointer, vectors: UnsafeRawBufferPointer) throws {
        defer { insert.reset() }
        try insert.bind(1, chunk)
        try insert.bind(2, blob: norms)
        try insert.bind(3, blob: vectors)
        _ = try insert.step()
        chunk += 1
    }
}
