/// The layout of a Wordshift store (documented in docs/store.md).
package enum StoreSchema {
    /// Written to `PRAGMA application_id`: "WSHF". A file without it is not a store.
    package static let applicationID: Int32 = 0x5753_4846
    /// Bumped when a reader of an older version could misread the file.
    package static let formatVersion = 1
    /// SQLite page size for new stores: fewer, fuller pages for 1,200-byte vector rows.
    package static let pageSize = 16384

    static let createTables = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL, count INTEGER);
        CREATE TABLE vectors (id INTEGER PRIMARY KEY, norm REAL NOT NULL, vector BLOB NOT NULL);
        """

    /// Created after the bulk load: building it at the end is faster than maintaining it.
    static let createIndexes = "CREATE UNIQUE INDEX words_by_word ON words(word);"
}

/// Well-known keys of the `meta` table.
public enum MetaKey {
    public static let format = "format"
    public static let formatVersion = "format_version"
    public static let dimension = "dimension"
    public static let count = "count"
    public static let sourcePath = "source_path"
    public static let sourceSHA256 = "source_sha256"
    public static let sourceFormat = "source_format"
    public static let createdAt = "created_at"
    public static let toolVersion = "tool_version"
    public static let vectorKind = "vector_kind"
}
