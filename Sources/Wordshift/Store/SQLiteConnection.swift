#if canImport(Glibc)
import Glibc
#endif
import GRDBSQLite

/// A thin owner of one SQLite connection on the raw C API (through GRDB's `GRDBSQLite`
/// module). The store's bulk paths need prepared statements and BLOB binding, nothing more.
///
/// The mode decides how the connection lives beside other processes (docs/store.md,
/// "Concurrency and interruptions"):
/// - `.reader` opens an existing store for queries. It asks for write access, with
///   `query_only` set so that no statement can change the store, because only a connection with
///   write access can roll back the journal of an interrupted update or remove the `-wal` and
///   `-shm` files an update leaves while readers are open; without write permission it reads
///   read-only. It waits (up to `lockTimeout`) instead of failing while a lock is held.
/// - `.writer` opens an existing store for an in-place update (`StoreUpdate` only); it refuses
///   a store it cannot write and waits its turn behind other writers.
/// - `.create` opens a new private file (a store under construction).
package final class SQLiteConnection {
    package enum Mode: Sendable { case reader, writer, create }

    package let path: String
    package let mode: Mode
    let handle: OpaquePointer
    private let busy: BusyWait

    /// How long a connection waits for another process's lock before it gives up, in seconds:
    /// a reader waits out a writer's switch of journal mode (WAL readers never wait for a
    /// commit), a writer waits for the writers before it. `WORDSHIFT_LOCK_TIMEOUT` (seconds)
    /// overrides both.
    package static func lockTimeout(for mode: Mode) -> Double {
        if let raw = getenv("WORDSHIFT_LOCK_TIMEOUT"), let text = String(validatingCString: raw),
           let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            return seconds
        }
        return mode == .writer ? 600 : 60
    }

    package convenience init(path: String, readOnly: Bool) throws {
        try self.init(path: path, mode: readOnly ? .reader : .create)
    }

    package init(path: String, mode: Mode) throws {
        self.path = path
        self.mode = mode
        let busy = BusyWait(path: path, timeout: Self.lockTimeout(for: mode))
        self.busy = busy
        switch mode {
        case .reader: handle = try Self.openReader(path, busy: busy)
        case .writer: handle = try Self.openWriter(path, busy: busy)
        case .create: handle = try Self.open(path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy: busy)
        }
    }

    deinit {
        sqlite3_busy_handler(handle, nil, nil)
        sqlite3_close_v2(handle)
    }

    private static func open(_ path: String, flags: Int32, busy: BusyWait?) throws -> OpaquePointer {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw WordshiftError.sqlite(path: path, code: rc, message: message)
        }
        sqlite3_extended_result_codes(db, 1)
        if let busy { sqlite3_busy_handler(db, busyHandler, Unmanaged.passUnretained(busy).toOpaque()) }
        return db
    }

    private static func close(_ db: OpaquePointer) {
        sqlite3_busy_handler(db, nil, nil)
        sqlite3_close_v2(db)
    }

    private static func openReader(_ path: String, busy: BusyWait) throws -> OpaquePointer {
        let db = try open(path, flags: SQLITE_OPEN_READWRITE, busy: busy)
        do {
            try run(db, path: path, "PRAGMA query_only=1")
            // Reading the schema now makes recovery (rolling back an interrupted update,
            // rebuilding the WAL index) happen here, where its failures can be explained.
            try run(db, path: path, "PRAGMA schema_version")
            return db
        } catch let WordshiftError.sqlite(_, code, message) {
            close(db)
            let primary = code & 0xFF
            guard primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN else {
                throw WordshiftError.sqlite(path: path, code: code, message: message)
            }
            if System.fileExists(path + "-journal") {
                throw WordshiftError.io(path: path, message: "an interrupted update left \(path)-journal; rolling it back needs write access to the store and its directory (any wordshift command run with that access repairs it)")
            }
            // A store in WAL mode without its -wal file, in a directory this process cannot
            // write: SQLite cannot create the -shm file a WAL reader needs. Nobody can write
            // there either (an update needs a -wal file beside the store), so reading the file
            // as immutable is exact.
            if !System.fileExists(path + "-wal"), SQLiteFile.isWAL(path),
               access(SQLiteFile.directory(of: path), W_OK) != 0 {
                let uri = "file:" + SQLiteFile.uriEscaped(path) + "?immutable=1"
                return try open(uri, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, busy: nil)
            }
            throw WordshiftError.sqlite(path: path, code: code, message: message)
        }
    }

    private static func openWriter(_ path: String, busy: BusyWait) throws -> OpaquePointer {
        let db = try open(path, flags: SQLITE_OPEN_READWRITE, busy: busy)
        if sqlite3_db_readonly(db, "main") == 1 {
            close(db)
            throw WordshiftError.io(path: path, message: "cannot update the store: no write permission on it")
        }
        return db
    }

    private static func run(_ db: OpaquePointer, path: String, _ sql: String) throws {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        if rc != SQLITE_OK {
            throw WordshiftError.sqlite(path: path, code: rc, message: String(cString: sqlite3_errmsg(db)))
        }
    }

    /// Runs `body` with lock waits turned off: a busy lock fails at once.
    func withoutWaiting<R>(_ body: () throws -> R) rethrows -> R {
        busy.enabled = false
        defer { busy.enabled = true }
        return try body()
    }

    package func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw error(rc, message: message)
        }
    }

    package func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc) }
        return SQLiteStatement(connection: self, handle: stmt)
    }

    /// Runs `body` inside one write transaction, taken with `BEGIN IMMEDIATE` (the write lock
    /// from the start, waiting behind other writers); rolls back if it throws.
    package func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The integer value of a pragma such as `application_id`.
    package func pragmaInt(_ name: String) throws -> Int {
        let s = try prepare("PRAGMA \(name)")
        guard try s.step() else { return 0 }
        return s.int(0)
    }

    /// The text value of a pragma such as `journal_mode=WAL` (which answers the mode in force).
    func pragmaString(_ pragma: String) throws -> String {
        let s = try prepare("PRAGMA \(pragma)")
        defer { s.reset() }
        return try s.step() ? s.string(0) : ""
    }

    /// Copies the BLOB in `column` of row `rowid` of `table` straight into `out` (SQLite's
    /// incremental I/O: no buffer for the whole value, as a column read allocates). Returns the
    /// value's size in bytes; copies nothing unless that is exactly `out.count`.
    package func readBlob(table: String, column: String, rowid: Int, into out: UnsafeMutableRawBufferPointer) throws -> Int {
        var blob: OpaquePointer?
        let rc = sqlite3_blob_open(handle, "main", table, column, Int64(rowid), 0, &blob)
        guard rc == SQLITE_OK, let blob else {
            let failure = error(rc)
            if let blob { sqlite3_blob_close(blob) }
            throw failure
        }
        defer { sqlite3_blob_close(blob) }
        let size = Int(sqlite3_blob_bytes(blob))
        guard size == out.count, size > 0, let base = out.baseAddress else { return size }
        let read = sqlite3_blob_read(blob, base, Int32(size), 0)
        guard read == SQLITE_OK else { throw error(read) }
        return size
    }

    package func tableExists(_ name: String) throws -> Bool {
        let s = try prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?")
        try s.bind(1, name)
        return try s.step()
    }

    func error(_ rc: Int32, message: String? = nil) -> WordshiftError {
        let primary = rc & 0xFF
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED {
            return .io(path: path, message: "the store is locked by another process (waited \(Int(busy.timeout.rounded())) s); try again when it has finished, or set WORDSHIFT_LOCK_TIMEOUT (seconds) to wait longer")
        }
        return .sqlite(path: path, code: rc, message: message ?? String(cString: sqlite3_errmsg(handle)))
    }
}

/// One prepared statement. `step()` returns true while rows come back.
package final class SQLiteStatement {
    let connection: SQLiteConnection
    let handle: OpaquePointer

    init(connection: SQLiteConnection, handle: OpaquePointer) {
        self.connection = connection
        self.handle = handle
    }

    deinit { sqlite3_finalize(handle) }

    @discardableResult
    package func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.error(rc)
    }

    package func reset() { sqlite3_reset(handle); sqlite3_clear_bindings(handle) }

    /// Binds text with its byte length (a NUL inside is kept, never a silent cut).
    package func bind(_ index: Int32, _ value: String) throws {
        var text = value
        try text.withUTF8 { utf8 in
            try utf8.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return try check(sqlite3_bind_text(handle, index, "", 0, sqliteTransient)) }
                try check(sqlite3_bind_text(handle, index, base, Int32(clamping: chars.count), sqliteTransient))
            }
        }
    }

    package func bind(_ index: Int32, _ value: Int) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    package func bind(_ index: Int32, _ value: Double) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    package func bindNull(_ index: Int32) throws { try check(sqlite3_bind_null(handle, index)) }

    /// Binds bytes that stay alive until the next `step()` (no copy).
    package func bind(_ index: Int32, blob: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), nil))
    }

    /// Binds bytes that SQLite copies.
    package func bind(_ index: Int32, copying blob: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), sqliteTransient))
    }

    package func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    package func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    package func string(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// The BLOB of a column, valid until the next step or reset.
    package func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite3_column_blob(handle, column)
        let n = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: p, count: n)
    }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw connection.error(rc) }
    }
}

let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
