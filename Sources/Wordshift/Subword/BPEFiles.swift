import Foundation

/// BPE models in a store (tables `bpe_units` and `bpe_merges`) and in the Hugging Face
/// `tokenizer.json` layout (model type `BPE`, `end_of_word_suffix`, `Whitespace` pre-tokenizer).
public enum BPEFiles {
    static let metaKeys = (endOfWord: "bpe.end_of_word", unknown: "bpe.unknown", merges: "bpe.merges")

    /// Writes the model into a store with `db` (inside the caller's transaction).
    package static func write(_ model: BPEModel, to db: SQLiteConnection) throws {
        try db.execute("""
            DROP TABLE IF EXISTS bpe_units; DROP TABLE IF EXISTS bpe_merges;
            CREATE TABLE bpe_units (id INTEGER PRIMARY KEY, unit TEXT NOT NULL);
            CREATE TABLE bpe_merges (rank INTEGER PRIMARY KEY, left TEXT NOT NULL, right TEXT NOT NULL);
            """)
        let u = try db.prepare("INSERT INTO bpe_units(id, unit) VALUES (?, ?)")
        for (i, unit) in model.units.enumerated() { try u.bind(1, i); try u.bind(2, unit); try u.step(); u.reset() }
        let m = try db.prepare("INSERT INTO bpe_merges(rank, left, right) VALUES (?, ?, ?)")
        for (i, pair) in model.merges.enumerated() {
            try m.bind(1, i); try m.bind(2, pair.0); try m.bind(3, pair.1); try m.step(); m.reset()
        }
        try StoreUpdate.setMeta([metaKeys.endOfWord: model.endOfWord, metaKeys.unknown: model.unknown,
                                 metaKeys.merges: String(model.merges.count)], in: db)
    }

    /// The store's BPE model, or nil if it has none.
    public static func load(from store: VectorStore) throws -> BPEModel? {
        guard try store.database.tableExists("bpe_merges") else { return nil }
        var units: [String] = [], merges: [(String, String)] = []
        let u = try store.database.prepare("SELECT unit FROM bpe_units ORDER BY id")
        while try u.step() { units.append(u.string(0)) }
        let m = try store.database.prepare("SELECT left, right FROM bpe_merges ORDER BY rank")
        while try m.step() { merges.append((m.string(0), m.string(1))) }
        return try BPEModel(units: units, merges: merges, endOfWord: store.meta[metaKeys.endOfWord] ?? "</w>",
                            unknown: store.meta[metaKeys.unknown] ?? "<unk>")
    }

    /// Writes `tokenizer.json` (atomically).
    public static func writeTokenizerJSON(_ model: BPEModel, to path: String) throws {
        var seen = Set<String>()
        var vocab: [String] = []
        for (i, u) in model.units.enumerated() where seen.insert(u).inserted { vocab.append("\(jsonString(u)):\(i)") }
        let merges = model.merges.map { "[\(jsonString($0.0)),\(jsonString($0.1))]" }
        let text = """
            {"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,\
            "pre_tokenizer":{"type":"Whitespace"},"post_processor":null,\
            "decoder":{"type":"BPEDecoder","suffix":\(jsonString(model.endOfWord))},\
            "model":{"type":"BPE","dropout":null,"unk_token":\(jsonString(model.unknown)),"continuing_subword_prefix":null,\
            "end_of_word_suffix":\(jsonString(model.endOfWord)),"fuse_unk":false,"byte_fallback":false,"ignore_merges":false,\
            "vocab":{\(vocab.joined(separator: ","))},"merges":[\(merges.joined(separator: ","))]}}

            """
        let tmp = System.temporarySibling(of: path)
        TemporaryFiles.register(tmp)
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
            TemporaryFiles.remove(tmp)
            throw WordshiftError.io(path: path, message: "cannot write")
        }
        try TemporaryFiles.moveIntoPlace(tmp, to: path)
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Reads the BPE model of a Hugging Face `tokenizer.json` (merges as `"a b"` strings or
    /// `["a", "b"]` pairs). Only word-level BPE with an end-of-word suffix is accepted.
    public static func readTokenizerJSON(_ path: String) throws -> BPEModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw WordshiftError.io(path: path, message: "cannot read") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let model = root["model"] as? [String: Any] else {
            throw WordshiftError.malformedLine(path: path, line: 1, message: "not a tokenizer.json (no \"model\" object)")
        }
        guard (model["type"] as? String) == "BPE" else {
            throw WordshiftError.malformedLine(path: path, line: 1, message: "model type is \(model["type"] ?? "missing"), expected BPE")
        }
        guard let vocab = model["vocab"] as? [String: Int], let rawMerges = model["merges"] as? [Any] else {
            throw WordshiftError.malformedLine(path: path, line: 1, message: "BPE model without vocab or merges")
        }
        var merges: [(String, String)] = []
        for (i, m) in rawMerges.enumerated() {
            if let pair = m as? [String], pair.count == 2 { merges.append((pair[0], pair[1])); continue }
            if let s = m as? String, let space = s.firstIndex(of: " ") {
                merges.append((String(s[..<space]), String(s[s.index(after: space)...]))); continue
            }
            throw WordshiftError.malformedLine(path: path, line: 1, message: "merge \(i) is neither \"a b\" nor [a, b]")
        }
        let units = vocab.sorted { $0.value < $1.value }.map(\.key)
        let suffix = model["end_of_word_suffix"] as? String ?? ""
        let unk = model["unk_token"] as? String ?? "<unk>"
        return try BPEModel(units: units, merges: merges, endOfWord: suffix, unknown: unk)
    }
}
