/// Character n-gram vectors kept in a store (table `subword_ngrams`), used to build vectors
/// for words the vocabulary does not have: the mean of the rows of the word's n-grams, as
/// fastText does for unseen words. Buckets absent from the table count as zero rows.
public final class NgramTable: @unchecked Sendable {
    /// How words are split into n-grams and hashed into buckets.
    public let ngrams: CharNgrams
    /// Length of every n-gram vector (the store's dimension).
    public let dimension: Int
    /// How the table was made: `fasttext` (imported) or `fit` (learned from word vectors).
    public let source: String
    /// Row of each bucket in `rows`, or -1.
    private var rowOfBucket: [Int32]
    private var rows: [Float]

    /// Buckets that have a vector.
    public var storedBuckets: Int { rows.count / max(1, dimension) }

    static let createTable = "CREATE TABLE IF NOT EXISTS subword_ngrams (bucket INTEGER PRIMARY KEY, vector BLOB NOT NULL)"

    /// A table holding `vectors` (row-major, `dimension` values each) for `buckets`, in the same
    /// order; buckets outside `0..<ngrams.buckets` are ignored. `vectors` must hold exactly
    /// `buckets.count × dimension` values.
    public init(ngrams: CharNgrams, dimension: Int, source: String, buckets: [Int], vectors: [Float]) {
        precondition(vectors.count == buckets.count * dimension)
        self.ngrams = ngrams
        self.dimension = dimension
        self.source = source
        rowOfBucket = [Int32](repeating: -1, count: ngrams.buckets)
        for (i, b) in buckets.enumerated() where b >= 0 && b < ngrams.buckets { rowOfBucket[b] = Int32(i) }
        rows = vectors
    }

    /// Whether n-gram bucket `bucket` has a stored vector (shown by `wordshift serve`'s segmentation).
    package func hasVector(bucket: Int) -> Bool {
        bucket >= 0 && bucket < rowOfBucket.count && rowOfBucket[bucket] >= 0
    }

    /// The composed vector of `word`, or nil if none of its n-grams has a row.
    public func vector(for word: String) -> [Float]? {
        var v = [Float](repeating: 0, count: dimension)
        var total = 0, found = 0
        ngrams.forEachNgram(of: word) { bytes in
            total += 1
            let b = Int(CharNgrams.fnv1a(bytes) % UInt32(ngrams.buckets))
            let r = Int(rowOfBucket[b])
            guard r >= 0 else { return }
            found += 1
            rows.withUnsafeBufferPointer { p in
                for j in 0..<dimension { v[j] += p[r * dimension + j] }
            }
        }
        guard found > 0 else { return nil }
        let inv = 1 / Float(total)
        for j in 0..<dimension { v[j] *= inv }
        return v
    }

    // MARK: store I/O

    static let metaKeys = (kind: "subword.kind", minN: "subword.min_n", maxN: "subword.max_n",
                           buckets: "subword.buckets", source: "subword.source", maxWordBytes: "subword.max_word_bytes")

    /// Writes the table into the store at `path` (one transaction; replaces an existing table),
    /// so that lookups in that store build vectors for unseen words from it.
    public func save(toStore path: String) throws {
        try StoreUpdate.run(path) { try write(to: $0) }
    }

    /// Writes the table and its meta entries with `db` (inside the caller's transaction).
    package func write(to db: SQLiteConnection) throws {
        guard rows.allSatisfy(\.isFinite) else {
            throw WordshiftError.invalidArgument("the n-gram vectors are not finite (the fit diverged); nothing was saved: lower --lr")
        }
        try db.execute("DROP TABLE IF EXISTS subword_ngrams")
        try db.execute(Self.createTable)
        let insert = try db.prepare("INSERT INTO subword_ngrams(bucket, vector) VALUES (?, ?)")
        for b in 0..<rowOfBucket.count where rowOfBucket[b] >= 0 {
            let r = Int(rowOfBucket[b])
            try insert.bind(1, b)
            try rows.withUnsafeBytes { raw in
                try insert.bind(2, blob: UnsafeRawBufferPointer(rebasing: raw[(r * dimension * 4)..<((r + 1) * dimension * 4)]))
                try insert.step()
            }
            insert.reset()
        }
        try StoreUpdate.setMeta([
            Self.metaKeys.kind: "char-ngrams", Self.metaKeys.minN: String(ngrams.minN), Self.metaKeys.maxN: String(ngrams.maxN),
            Self.metaKeys.buckets: String(ngrams.buckets), Self.metaKeys.source: source,
            Self.metaKeys.maxWordBytes: String(ngrams.maxWordBytes),
        ], in: db)
    }

    /// Loads the table of `store`, or nil if it has none.
    public static func load(from store: VectorStore) throws -> NgramTable? {
        guard store.meta[metaKeys.kind] == "char-ngrams", try store.database.tableExists("subword_ngrams") else { return nil }
        guard let minN = store.meta[metaKeys.minN].flatMap(Int.init), let maxN = store.meta[metaKeys.maxN].flatMap(Int.init),
              let buckets = store.meta[metaKeys.buckets].flatMap(Int.init), buckets > 0, buckets <= 100_000_000 else {
            throw WordshiftError.notAStore(path: store.path, message: "subword meta entries are missing or invalid")
        }
        let maxBytes = store.meta[metaKeys.maxWordBytes].flatMap(Int.init) ?? 256
        let config = CharNgrams(minN: minN, maxN: maxN, buckets: buckets, maxWordBytes: maxBytes)
        var ids: [Int] = [], vectors: [Float] = []
        let s = try store.database.prepare("SELECT bucket, vector FROM subword_ngrams ORDER BY bucket")
        while try s.step() {
            let blob = s.blob(1)
            guard blob.count == store.dimension * 4, s.int(0) >= 0, s.int(0) < buckets else {
                throw WordshiftError.notAStore(path: store.path, message: "subword row \(s.int(0)) is malformed")
            }
            ids.append(s.int(0))
            for j in 0..<store.dimension { vectors.append(blob.loadUnaligned(fromByteOffset: j * 4, as: Float.self)) }
        }
        return NgramTable(ngrams: config, dimension: store.dimension, source: store.meta[metaKeys.source] ?? "", buckets: ids, vectors: vectors)
    }
}
