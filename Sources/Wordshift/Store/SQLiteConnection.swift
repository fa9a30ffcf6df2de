import GRDBSQLite

/// A thin owner of one SQLite connection on the raw C API (through GRDB's `GRDBSQLite`
/// module). The store's bulk paths need prepared statements and BLOB binding, nothing more.
package final class SQLiteConnection {
    package let path: String
    let handle: OpaquePointer

    package init(path: String, readOnly: Bool) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw WordshiftError.sqlite(path: path, code: rc, message: message)
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    package func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw WordshiftError.sqlite(path: path, code: rc, message: message)
        }
    }

    package func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc) }
        return SQLiteStatement(connection: self, handle: stmt)
    }

    /// Runs `body` inside one transaction; rolls back if it throws.
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

    package func tableExists(_ name: String) throws -> Bool {
        let s = try prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?")
        try s.bind(1, name)
        return try s.step()
    }

    func error(_ rc: Int32) -> WordshiftError {
        .sqlite(path: path, code: rc, message: String(cString: sqlite3_errmsg(handle)))
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
