import Foundation

/// The codebooks of a product-quantized store: table `pq_codebooks`, one row per subquantizer
/// holding its ``ProductQuantizer/centroids`` centroids as little-endian float32 values, and meta
/// `pq_subquantizers` (docs/store.md, "Product-quantized stores").
package enum ProductQuantizerStore {
    static let createSQL = "CREATE TABLE pq_codebooks (subquantizer INTEGER PRIMARY KEY, centroids BLOB NOT NULL);"

    /// Writes `quantizer`'s codebooks and meta entries into `db` (inside the caller's transaction).
    static func write(_ quantizer: ProductQuantizer, training: ProductQuantizer.TrainingOptions, to db: SQLiteConnection) throws {
        try db.execute("DROP TABLE IF EXISTS pq_codebooks; " + createSQL)
        let put = try db.prepare("INSERT INTO pq_codebooks(subquantizer, centroids) VALUES (?, ?)")
        let values = ProductQuantizer.centroids * quantizer.subdimension
        for m in 0..<quantizer.subquantizers {
            var bytes = [UInt8](repeating: 0, count: 4 * values)
            for i in 0..<values {
                let bits = quantizer.codebooks[m * values + i].bitPattern.littleEndian
                withUnsafeBytes(of: bits) { for b in 0..<4 { bytes[4 * i + b] = $0[b] } }
            }
            try put.bind(1, m)
            try bytes.withUnsafeBytes { try put.bind(2, copying: $0) }
            _ = try put.step()
            put.reset()
        }
        var trainingJSON = "{}"
        if let data = try? JSONEncoder().encode(training), let text = String(data: data, encoding: .utf8) { trainingJSON = text }
        try StoreUpdate.setMeta([MetaKey.pqSubquantizers: String(quantizer.subquantizers), MetaKey.pqTraining: trainingJSON], in: db)
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
            guard blob.count == 4 * values, let base = blob.baseAddress else {
                throw damaged("codebook \(id) has \(blob.count) bytes, expected \(4 * values) (\(ProductQuantizer.centroids) centroids of \(dimension / m) float32 values)")
            }
            for i in 0..<values {
                books[id * values + i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
            next += 1
        }
        guard next == m else { throw damaged("\(next) codebooks for \(m) subquantizers") }
        do { return try ProductQuantizer(dimension: dimension, subquantizers: m, codebooks: books) } catch {
            throw damaged("a codebook holds a value that is not finite")
        }
    }
}
