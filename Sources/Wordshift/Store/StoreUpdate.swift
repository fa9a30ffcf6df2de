/// Changes to an existing store (subword tables, classifier heads, named vector sets): one
/// SQLite transaction, so a failed or interrupted update leaves the store as it was.
///
/// The rules every in-place write follows (docs/store.md, "Concurrency and interruptions"):
/// - Do the expensive work (training, fitting) first; `run` only writes its result.
/// - `run` takes the write lock with `BEGIN IMMEDIATE`, waiting behind other writers (up to
///   `SQLiteConnection.lockTimeout(for: .writer)`), so two updates never fail each other.
/// - For the update the store is in WAL mode: readers keep reading the last committed state
///   while the update is written and committed, and never wait for it. When the writer is
///   the last connection it checkpoints and switches the file back to a rollback journal, so a
///   store at rest is one file.
/// - A writer killed at any point (kill -9 included) leaves the store as it was before the
///   update; the next connection with write access (any reader of the store) cleans up what
///   it left.
public enum StoreUpdate {
    /// Opens `path` (which must be a valid store of a supported version) for writing and runs
    /// `body` inside one transaction.
    package static func run<R>(_ path: String, _ body: (SQLiteConnection) throws -> R) throws -> R {
        _ = try VectorStore(path: path)  // validates application id and version
        let db = try SQLiteConnection(path: path, mode: .writer)
        try enterWAL(db)
        let result = try db.transaction { () throws -> R in
            let r = try body(db)
            TestHooks.pause(.beforeCommit)
            return r
        }
        leaveWAL(db)
        return result
    }

    /// Fails now (before any expensive work) if `path` is not a store this process can update.
    package static func checkWritable(_ path: String) throws {
        _ = try VectorStore(path: path)
        _ = try SQLiteConnection(path: path, mode: .writer)
    }

    /// Switches the store to WAL mode (waiting for readers of the rollback-journal mode to
    /// finish their statement). A file system without the shared memory WAL needs keeps the
    /// rollback journal: readers then wait out the commit instead.
    static func enterWAL(_ db: SQLiteConnection) throws {
        let result = try db.pragmaString("journal_mode=WAL").lowercased()
        if result != "wal" { try db.execute("PRAGMA journal_mode=DELETE") }
        try db.execute("PRAGMA synchronous=FULL")
    }

    /// Checkpoints and returns the store to a rollback journal if no other connection has it
    /// open; otherwise leaves it in WAL mode for the last connection with write access to
    /// checkpoint and clean up. Never waits and never fails: the committed update is durable
    /// either way.
    static func leaveWAL(_ db: SQLiteConnection) {
        db.withoutWaiting { try? db.execute("PRAGMA journal_mode=DELETE") }
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
    /// The store's reader connection, for stages that keep their own tables in the store.
    package var database: SQLiteConnection { connection }
}
