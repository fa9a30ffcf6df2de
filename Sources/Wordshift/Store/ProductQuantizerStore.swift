import Foundation

/// The codebooks of a product-quantized store: table `pq_codebooks`, one row per subquantizer
/// holding its ``ProductQuantizer/centroids`` centroids as little-endian float32 values, meta
/// `pq_subquantizers`, and for optimized PQ meta `pq_rotation` with table `pq_rotation` (one row,
/// the d × d rotation as little-endian float32, row-major) (docs/store.md, "Product-quantized stores").
package enum ProductQuantizerStore {
    static let createSQL = """
        CREATE TABLE pq_codebooks (subquantizer INTEGER PRIMARY KEY, centroids BLOB NOT NULL);
        CREATE TABLE pq_rotation (id INTEGER PRIMARY KEY CHECK (id = 0), matrix BLOB NOT NULL);
        """
    /// Meta `pq_rotation` of an optimized store: how the rotation was made.
    static let balancedPCA = "balanced-pca"

    /// `values` as little-endian float32 bytes.
    static func bytes(_ values: ArraySlice<Float>) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 4 * values.count)
        for (i, v) in values.enumerated() {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { for b in 0..<4 { out[4 * i + b] = $0[b] } }
        }
        return out
    }

    /// `count` little-endian float32 values from `blob` (the caller checked its size).
    static func floats(_ blob: UnsafeRawBufferPointer, count: Int) -> [Float] {
        guard let base = blob.baseAddress, blob.count >= 4 * count else { return [] }
        return (0..<count).map { Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }

    /// Writes `quantizer`'s codebooks and meta entries into `db` (inside the caller's transaction).
    static func write(_ quantizer: ProductQuantizer, training: ProductQuantizer.TrainingOptions, to db: SQLiteConnection) throws {
        try db.execute("DROP TABLE IF EXISTS pq_codebooks; DROP TABLE IF EXISTS pq_rotation; " + createSQL)
        let put = try db.prepare("INSERT INTO pq_codebooks(subquantizer, centroids) VALUES (?, ?)")
        let values = ProductQuantizer.centroids * quantizer.subdimension
        for m in 0..<quantizer.subquantizers {
            let bytes = bytes(quantizer.codebooks[(m * values)..<((m + 1) * values)])
            try put.bind(1, m)
            try bytes.withUnsafeBytes { try put.bind(2, copying: $0) }
            _ = try put.step()
            put.reset()
        }
        var meta: [String: String] = [:]
        if let rotation = quantizer.rotation {
            let r = try db.prepare("INSERT INTO pq_rotation(id, matrix) VALUES (0, ?)")
            try bytes(rotation[...]).withUnsafeBytes { try r.bind(1, copying: $0) }
            _ = try r.step()
            meta[MetaKey.pqRotation] = balancedPCA
        }
        var trainingJSON = "{}"
        if let data = try? JSONEncoder().encode(training), let text = String(data: data, encoding: .utf8) { trainingJSON = text }
        meta[MetaKey.pqSubquantizers] = String(quantizer.subquantizers)
        meta[MetaKey.pqTraining] = trainingJSON
        try StoreUpdate.setMeta(meta, in: db)
    }

    /// Reads the codebooks of the store at `path` (open as `db`, vectors of `dimension`). Every
    /// size is checked before use: a missing table, a missing or extra subquantizer, a truncated
    /// blob or a value that is not finite is an error naming the store.
    static func read(from db: SQLiteConnection, path: String, meta: [String: String], dimension: Int) throws -> ProductQuantizer {
        func damaged(_ message: String) -> WordshiftError { .notAStore(path: path, message: message) }
        guard let m = meta[MetaKey.pqSubquantizers].flatMap(Int.init) else {
            throw damaged("a product-quantized store without meta \(MetaKey.pqSubquantizers)")
        }
        do { try ProductQuantizer.checkShape(dimension: dimension, subquantizers: m) } catch {
            throw damaged("meta \(MetaKey.pqSubquantizers) \(m) does not divide the dimension \(dimension)")
        }
        guard try db.tableExists("pq_codebooks") else { throw damaged("a product-quantized store without its pq_codebooks table") }
        let values = ProductQuantizer.centroids * (dimension / m)
        var books = [Float](repeating: 0, count: m * values)
        let s = try db.prepare("SELECT subquantizer, centroids FROM pq_codebooks ORDER BY subquantizer")
        var next = 0
        while try s.step() {
            let id = s.int(0)
            guard id == next, id < m else {
                throw damaged(id < m ? "codebook \(next) of \(m) is missing" : "codebook \(id) beyond the \(m) subquantizers")
            }
            let blob = s.blob(1)
            guard blob.count == 4 * values else {
                throw damaged("codebook \(id) has \(blob.count) bytes, expected \(4 * values) (\(ProductQuantizer.centroids) centroids of \(dimension / m) float32 values)")
            }
            books.replaceSubrange((id * values)..<((id + 1) * values), with: floats(blob, count: values))
            next += 1
        }
        guard next == m else { throw damaged("\(next) codebooks for \(m) subquantizers") }
        var rotation: [Float]?
        if let kind = meta[MetaKey.pqRotation] {
            guard kind == balancedPCA else { throw damaged("unknown rotation \(kind) (meta \(MetaKey.pqRotation))") }
            guard try db.tableExists("pq_rotation") else { throw damaged("meta \(MetaKey.pqRotation) without the pq_rotation table") }
            let r = try db.prepare("SELECT matrix FROM pq_rotation WHERE id = 0")
            guard try r.step() else { throw damaged("the pq_rotation table is empty") }
            let blob = r.blob(0)
            guard blob.count == 4 * dimension * dimension else {
                throw damaged("the rotation has \(blob.count) bytes, expected \(4 * dimension * dimension) (\(dimension) × \(dimension) float32 values)")
            }
            rotation = floats(blob, count: dimension * dimension)
        }
        do { return try ProductQuantizer(dimension: dimension, subquantizers: m, codebooks: books, rotation: rotation) } catch {
            throw damaged("its codebooks or rotation are damaged (\(error))")
        }
    }
}
