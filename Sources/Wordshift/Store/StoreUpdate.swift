/// Changes to an existing store (subword tables, classifier heads): one SQLite transaction
/// with the default rollback journal, so a failed or interrupted update leaves the store as
/// it was.
public enum StoreUpdate {
    /// Opens `path` (which must be a valid store of a supported version) read-write and runs
    /// `body` inside one transaction.
    package static func run<R>(_ path: String, _ body: (SQLiteConnection) throws -> R) throws -> R {
        _ = try VectorStore(path: path)  // validates application id and version
        let db = try SQLiteConnection(path: path, readOnly: false)
        try db.execute("PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL")
        return try db.transaction { try body(db) }
    }

    /// Sets meta entries.
    package static func setMeta(_ entries: [String: String], in db: SQLiteConnection) throws {
        let put = try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
            try put.bind(1, k); try put.bind(2, v); try put.step(); put.reset()
        }
    }
}

extension VectorStore {
    /// The read-only connection, for stages that keep their own tables in the store.
    package var database: SQLiteConnection { connection }
}
