/// The layout of a Wordshift store (documented in docs/store.md).
package enum StoreSchema {
    /// Written to `PRAGMA application_id`: "WSHF". A file without it is not a store.
    package static let applicationID: Int32 = 0x5753_4846
    /// The newest format this build reads and writes. Bumped when a reader of an older version
    /// could misread the file.
    package static let formatVersion = 5
    /// The version a new store is written as: its vectors are in chunks
    /// (``chunkedVersion``), which readers before version 5 cannot find.
    package static let baseFormatVersion = chunkedVersion
    /// Version 2 adds named vector sets and heads trained over them (a version-1 reader would
    /// load such a head over the store's main vectors and predict nonsense, so it must refuse).
    package static let vectorSetsVersion = 2
    /// Version 3 adds quantized vectors (meta `vector_encoding` other than float32): a version-2
    /// reader would take float16 or int8 rows for damaged float32 ones.
    package static let quantizedVersion = 3
    /// Version 4 adds product-quantized vectors (meta `vector_encoding` `pq`, table
    /// `pq_codebooks`): a version-3 reader would not find the codebooks it needs to decode them.
    package static let productQuantizedVersion = 4
    /// Version 5 keeps the main vectors in chunks of rows (table `vector_chunks`, meta
    /// `vector_chunk_rows`; ``VectorLayout``) instead of one `vectors` row per word: a version-4
    /// reader would find no vectors.
    package static let chunkedVersion = 5
    /// SQLite page size for new stores: a 77 kB vector chunk (64 rows of 300 float32) spans two
    /// pages instead of five, so import writes and loading reads fewer pages.
    package static let pageSize = 65536

    static let createTables = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE words (id INTEGER PRIMARY KEY, word TEXT NOT NULL, count INTEGER);
        """

    /// Raises the store's version (`PRAGMA user_version` and meta `format_version`) to at least
    /// `version`, inside the caller's transaction.
    static func requireVersion(_ version: Int, in db: SQLiteConnection) throws {
        guard try db.pragmaInt("user_version") < version else { return }
        try db.execute("PRAGMA user_version=\(version)")
        try StoreUpdate.setMeta([MetaKey.formatVersion: String(version)], in: db)
    }

    /// Created after the bulk load: building it at the end is faster than maintaining it.
    static let createIndexes = "CREATE UNIQUE INDEX words_by_word ON words(word);"
}

/// Well-known keys of the `meta` table.
public enum MetaKey {
    /// Value `"wordshift-store"`: marks the file as a Wordshift store.
    public static let format = "format"
    /// The schema version that wrote the store (the same number as SQLite's `user_version`).
    public static let formatVersion = "format_version"
    /// Length of every vector, as a decimal string.
    public static let dimension = "dimension"
    /// Number of words (= vector rows), as a decimal string.
    public static let count = "count"
    /// For an imported store: the path of the file it was imported from, as given.
    public static let sourcePath = "source_path"
    /// For an imported store: the SHA-256 (hex) of the source file's bytes as stored (a `.gz` is hashed compressed).
    public static let sourceSHA256 = "source_sha256"
    /// For an imported store: the detected source format (a ``VectorFormat`` raw value).
    public static let sourceFormat = "source_format"
    /// When the store was written: UTC, ISO 8601.
    public static let createdAt = "created_at"
    /// The Wordshift version that wrote the store (e.g. `0.1.0`).
    public static let toolVersion = "tool_version"
    /// Where the vectors come from: `imported` or `glove` (trained by Wordshift).
    public static let vectorKind = "vector_kind"
    /// How `vectors.vector` is stored: a ``VectorEncoding`` raw value; absent means float32.
    public static let vectorEncoding = "vector_encoding"
    /// For a quantized store: the path of the float32 store it was made from, as given.
    public static let quantizedFrom = "quantized_from"
    /// For a chunked store (format version 5): rows per `vector_chunks` row, as a decimal
    /// string (docs/store.md, "Vector chunks"); absent in older stores, which keep one `vectors` row per word.
    public static let vectorChunkRows = "vector_chunk_rows"
    /// For a product-quantized store: the number of subquantizers (code bytes per row), as a decimal string.
    public static let pqSubquantizers = "pq_subquantizers"
    /// For a product-quantized store: how its codebooks were learned (``ProductQuantizer/TrainingOptions`` as JSON).
    public static let pqTraining = "pq_training"
    /// For an optimized product-quantized store: how its rotation (table `pq_rotation`) was made (`balanced-pca`).
    public static let pqRotation = "pq_rotation"
}
