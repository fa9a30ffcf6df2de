/// Keeps an ``HNSWIndex`` inside its store (docs/store.md, "Approximate-search index"): one
/// row of `ann_index` describes it, `ann_index_parts` holds its arrays in chunks, and triggers
/// on the vector table mark it stale the moment any client inserts, changes or deletes a vector.
/// A reader also compares the fingerprint of the vectors it loaded with the one the index was
/// built from, so an index is never used over other vectors, silently or otherwise.
public enum HNSWStore {
    /// What a store holds for approximate search.
    public enum Status: Sendable {
        /// No index.
        case absent
        /// An index that matches the loaded vectors.
        case ready(HNSWIndex)
        /// An index built from other vectors (the reason says how it was found out); searches
        /// are exact until it is rebuilt.
        case stale(String)
    }

    /// A summary of the stored index, read without loading it.
    public struct Info: Codable, Sendable, Equatable {
        /// Rows the index links.
        public var rows: Int
        /// Vector length of the rows.
        public var dimension: Int
        /// Construction settings.
        public var parameters: HNSWParameters
        /// Top layer of the graph.
        public var maxLevel: Int
        /// Bytes of the stored arrays.
        public var bytes: Int
        /// Fingerprint of the vectors it was built from.
        public var vectorsFingerprint: String
        /// Why it no longer matches the store's vectors, when a trigger said so.
        public var stale: String?
        /// Seconds the graph construction took.
        public var buildSeconds: Double
        /// Threads it was built with.
        public var buildThreads: Int
        /// UTC, ISO 8601.
        public var builtAt: String
    }

    static let name = "hnsw"
    /// Layout of the stored arrays; a reader refuses a layout it does not know.
    static let layoutVersion = 1
    static let chunkBytes = 4 << 20

    /// The index tables and the triggers that mark it stale, on `vectorTable` (`vector_chunks`
    /// in a version-5 store, `vectors` in an older one).
    static func schema(on vectorTable: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS ann_index (name TEXT PRIMARY KEY, kind TEXT NOT NULL, layout INTEGER NOT NULL,
            rows INTEGER NOT NULL, dimension INTEGER NOT NULL, m INTEGER NOT NULL, ef_construction INTEGER NOT NULL,
            seed INTEGER NOT NULL, entry_point INTEGER NOT NULL, max_level INTEGER NOT NULL,
            vectors_fingerprint TEXT NOT NULL, checksum TEXT NOT NULL, bytes INTEGER NOT NULL, stale TEXT,
            build_seconds REAL NOT NULL, build_threads INTEGER NOT NULL, built_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS ann_index_parts (name TEXT NOT NULL, part TEXT NOT NULL, seq INTEGER NOT NULL,
            data BLOB NOT NULL, PRIMARY KEY (name, part, seq));
        CREATE TRIGGER IF NOT EXISTS ann_stale_on_insert AFTER INSERT ON \(vectorTable)
            BEGIN UPDATE ann_index SET stale = 'a vector was inserted after the index was built' WHERE stale IS NULL; END;
        CREATE TRIGGER IF NOT EXISTS ann_stale_on_update AFTER UPDATE ON \(vectorTable)
            BEGIN UPDATE ann_index SET stale = 'a vector was changed after the index was built' WHERE stale IS NULL; END;
        CREATE TRIGGER IF NOT EXISTS ann_stale_on_delete AFTER DELETE ON \(vectorTable)
            BEGIN UPDATE ann_index SET stale = 'a vector was deleted after the index was built' WHERE stale IS NULL; END;
        """
    }

    static let dropSQL = """
        DROP TRIGGER IF EXISTS ann_stale_on_insert; DROP TRIGGER IF EXISTS ann_stale_on_update;
        DROP TRIGGER IF EXISTS ann_stale_on_delete; DROP TABLE IF EXISTS ann_index_parts; DROP TABLE IF EXISTS ann_index;
        """

    /// Writes `index` into the store at `path` (replacing any index there) in one transaction.
    /// `buildSeconds` and `threads` are recorded as provenance.
    public static func save(_ index: HNSWIndex, to path: String, buildSeconds: Double = 0, threads: Int = 1) throws {
        let g = index.graph
        let parts: [(String, UnsafeRawBufferPointer)] = [
            ("levels", UnsafeRawBufferPointer(g.levels)),
            ("links0", UnsafeRawBufferPointer(g.links0)),
            ("upper", UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(g.upperLinks)[0..<(upperCount(g) * 4)])),
        ]
        let checksum = checksum(parts.map(\.1))
        try StoreUpdate.run(path) { db in
            let meta = try db.prepare("SELECT key, value FROM meta WHERE key IN ('count', 'dimension')")
            var m: [String: String] = [:]
            while try meta.step() { m[meta.string(0)] = meta.string(1) }
            guard m["count"].flatMap(Int.init) == index.count, m["dimension"].flatMap(Int.init) == index.vectors.dimension else {
                throw WordshiftError.invalidArgument("\(path): the index has \(index.count) rows of dimension \(index.vectors.dimension); the store holds other vectors")
            }
            try db.execute(dropSQL)
            try db.execute(schema(on: try db.tableExists("vector_chunks") ? "vector_chunks" : "vectors"))
            let ins = try db.prepare("""
                INSERT INTO ann_index(name, kind, layout, rows, dimension, m, ef_construction, seed, entry_point, max_level,
                    vectors_fingerprint, checksum, bytes, stale, build_seconds, build_threads, built_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?)
                """)
            let p = index.parameters
            try ins.bind(1, name); try ins.bind(2, "hnsw"); try ins.bind(3, layoutVersion)
            try ins.bind(4, index.count); try ins.bind(5, index.vectors.dimension); try ins.bind(6, p.m)
            try ins.bind(7, p.efConstruction); try ins.bind(8, Int(truncatingIfNeeded: p.seed))
            try ins.bind(9, Int(g.entryPoint)); try ins.bind(10, g.maxLevel)
            try ins.bind(11, index.fingerprint); try ins.bind(12, checksum); try ins.bind(13, parts.reduce(0) { $0 + $1.1.count })
            try ins.bind(14, buildSeconds); try ins.bind(15, threads); try ins.bind(16, Timestamp.nowISO8601())
            _ = try ins.step()
            let put = try db.prepare("INSERT INTO ann_index_parts(name, part, seq, data) VALUES (?,?,?,?)")
            for (part, bytes) in parts {
                var seq = 0, offset = 0
                repeat {
                    let end = min(bytes.count, offset + chunkBytes)
                    try put.bind(1, name); try put.bind(2, part); try put.bind(3, seq)
                    try put.bind(4, blob: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                    _ = try put.step()
                    put.reset()
                    seq += 1
                    offset = end
                } while offset < bytes.count
            }
        }
    }

    /// Removes the index (and its triggers) from the store at `path`; false if it had none.
    @discardableResult
    public static func drop(from path: String) throws -> Bool {
        try StoreUpdate.run(path) { db in
            let had = try db.tableExists("ann_index")
            try db.execute(dropSQL)
            return had
        }
    }

    /// The stored index's description, or nil when the store has none.
    public static func info(_ store: VectorStore) throws -> Info? {
        let db = store.database
        guard try db.tableExists("ann_index") else { return nil }
        let s = try db.prepare("""
            SELECT rows, dimension, m, ef_construction, seed, max_level, bytes, vectors_fingerprint, stale,
                   build_seconds, build_threads, built_at FROM ann_index WHERE name = ?
            """)
        try s.bind(1, name)
        guard try s.step() else { return nil }
        return Info(rows: s.int(0), dimension: s.int(1),
                    parameters: HNSWParameters(m: s.int(2), efConstruction: s.int(3), seed: UInt64(truncatingIfNeeded: s.int(4))),
                    maxLevel: s.int(5), bytes: s.int(6), vectorsFingerprint: s.string(7), stale: s.isNull(8) ? nil : s.string(8),
                    buildSeconds: s.double(9), buildThreads: s.int(10), builtAt: s.string(11))
    }

    /// Reads the store's index over `vectors` (the store's main vectors, as loaded). Throws
    /// ``WordshiftError/notAStore(path:message:)`` naming the fix when the index tables are
    /// damaged (wrong sizes, a bad checksum, links out of range).
    public static func load(from store: VectorStore, over vectors: EmbeddingIndex) throws -> Status {
        guard let info = try info(store) else { return .absent }
        if let reason = info.stale { return .stale(reason) }
        guard info.rows == vectors.count, info.dimension == vectors.dimension else {
            return .stale("the index covers \(info.rows) rows of dimension \(info.dimension); the store holds \(vectors.count) of dimension \(vectors.dimension)")
        }
        let found = vectors.fingerprint()
        guard found == info.vectorsFingerprint else {
            return .stale("the vectors are not the ones the index was built from (fingerprint \(found), index built from \(info.vectorsFingerprint))")
        }
        let path = store.path
        func corrupt(_ why: String) -> WordshiftError {
            .notAStore(path: path, message: "its approximate-search index is damaged: \(why); rebuild it (wordshift index build) or remove it (wordshift index drop), or search with --exact")
        }
        let db = store.database
        let head = try db.prepare("SELECT layout, entry_point, checksum FROM ann_index WHERE name = ?")
        try head.bind(1, name)
        guard try head.step() else { throw corrupt("its description row is missing") }
        guard head.int(0) == layoutVersion else {
            throw corrupt("layout \(head.int(0)) is not one this version reads (\(layoutVersion))")
        }
        let entry = head.int(1), storedChecksum = head.string(2)
        // A statement left on its row keeps pages of the map in use, and SQLite does not drop
        // a map in use: the parts below would be read through it, and stay resident with it.
        head.reset()
        let m = info.parameters.m, rows = info.rows
        guard (2...128).contains(m), (0...HNSWGraph.levelLimit).contains(info.maxLevel), (0..<rows).contains(entry) else {
            throw corrupt("m \(m), top layer \(info.maxLevel) or entry point \(entry) is out of range")
        }
        let fileBytes = System.fileSize(path) ?? 0
        guard let links0Slots = DeclaredSize.product(rows, 2 * m + 1), links0Slots * 4 <= fileBytes else {
            throw corrupt("\(rows) rows of \(2 * m + 1) links do not fit in the file")
        }
        // Read through SQLite's page cache, not its map (see `VectorStore.scanningUnmapped`), and
        // the two link parts straight into the graph's buffers: no second copy of the index.
        return try store.scanningUnmapped {
            // The levels are copied into the graph, then released before the links are read.
            let (graph, upper) = try { () throws -> (HNSWGraph, Int) in
                var levels = [UInt8](repeating: 0, count: rows)
                try levels.withUnsafeMutableBytes { try readPart("levels", db: db, into: $0, fileBytes: fileBytes, corrupt: corrupt) }
                guard let upper = levels.withUnsafeBufferPointer({ HNSWGraph.upperSlots(levels: $0, m: m) }), upper * 4 <= fileBytes else {
                    throw corrupt("the layers of the rows do not fit in the file")
                }
                return (HNSWGraph(levels: levels, m: m, entryPoint: Int32(entry), maxLevel: info.maxLevel), upper)
            }()
            let links0 = UnsafeMutableRawBufferPointer(graph.links0), upperLinks = UnsafeMutableRawBufferPointer(graph.upperLinks)
            guard links0.count >= links0Slots * 4, upperLinks.count >= upper * 4 else {
                throw corrupt("the graph's layout does not match \(rows) rows of \(2 * m + 1) links")
            }
            let links0Part = UnsafeMutableRawBufferPointer(rebasing: links0[0..<(links0Slots * 4)])
            let upperPart = UnsafeMutableRawBufferPointer(rebasing: upperLinks[0..<(upper * 4)])
            try readPart("links0", db: db, into: links0Part, fileBytes: fileBytes, corrupt: corrupt)
            try readPart("upper", db: db, into: upperPart, fileBytes: fileBytes, corrupt: corrupt)
            let sum = checksum([UnsafeRawBufferPointer(graph.levels), UnsafeRawBufferPointer(links0Part), UnsafeRawBufferPointer(upperPart)])
            // A fuzzing build (tools/fuzz.sh) reads past a wrong checksum, so that damaged links
            // reach the graph's own checks below (a fuzzer cannot forge a 64-bit hash).
            #if !FUZZING
            guard sum == storedChecksum else { throw corrupt("its checksum is \(sum), expected \(storedChecksum)") }
            #else
            _ = (sum, storedChecksum)
            #endif
            if let problem = graph.validate() { throw corrupt(problem) }
            return .ready(HNSWIndex(vectors: vectors, parameters: info.parameters, fingerprint: info.vectorsFingerprint, graph: graph))
        }
    }

    /// The chunks of one part, concatenated into `out`, which they must fill exactly; else an
    /// error. Each chunk is copied straight into its place (`SQLiteConnection.readBlob`), not
    /// through a buffer of its own.
    private static func readPart(_ part: String, db: SQLiteConnection, into out: UnsafeMutableRawBufferPointer, fileBytes: Int,
                                 corrupt: (String) -> WordshiftError) throws {
        let expected = out.count
        guard expected <= fileBytes else { throw corrupt("part \(part) declares \(expected) bytes, more than the file") }
        let s = try db.prepare("SELECT seq, rowid, length(data), typeof(data) FROM ann_index_parts WHERE name = ? AND part = ? ORDER BY seq")
        try s.bind(1, name); try s.bind(2, part)
        var seq = 0, filled = 0
        while try s.step() {
            let size = s.int(2)
            guard s.int(0) == seq, s.string(3) == "blob", size >= 0, size <= expected - filled else {
                throw corrupt("part \(part) has a missing chunk, one that is not bytes, or more than \(expected) bytes")
            }
            if size > 0 {
                let place = UnsafeMutableRawBufferPointer(rebasing: out[filled..<(filled + size)])
                guard try db.readBlob(table: "ann_index_parts", column: "data", rowid: s.int(1), into: place) == size else {
                    throw corrupt("chunk \(seq) of part \(part) changed size while it was read")
                }
            }
            filled += size
            seq += 1
        }
        guard filled == expected else { throw corrupt("part \(part) holds \(filled) bytes, expected \(expected)") }
    }

    private static func upperCount(_ g: HNSWGraph) -> Int {
        HNSWGraph.upperSlots(levels: UnsafeBufferPointer(g.levels), m: g.m) ?? 0
    }

    private static func checksum(_ parts: [UnsafeRawBufferPointer]) -> String {
        var h: UInt64 = 0
        for (i, p) in parts.enumerated() { h = Fingerprint64.hash(p, seed: h &+ UInt64(i)) }
        return Fingerprint64.hex(h)
    }
}
