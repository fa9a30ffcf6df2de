/// A word-level BPE model: units (the initial characters, each also in an end-of-word form
/// carrying `endOfWord`, plus every merged unit) and ranked merges. Encoding a word starts
/// from its characters, the last one marked with `endOfWord`, and repeatedly merges the
/// adjacent pair of lowest rank (leftmost first) — the procedure of the Hugging Face BPE
/// model, so the same merges give the same segmentation. A character that is not a unit
/// becomes `unknown`.
public final class BPEModel: @unchecked Sendable {
    /// Every unit by id: the initial characters (with their end-of-word forms), `unknown`, then one merged unit per new merge.
    public let units: [String]
    /// The merges in rank order (rank 0 is applied first), each a (left, right) pair of units.
    public let merges: [(String, String)]
    /// The suffix that marks a word's last character (`</w>` by default).
    public let endOfWord: String
    /// The unit a character outside the units becomes (`<unk>` by default).
    public let unknown: String
    private var unitIDs: [String: Int32]
    /// (left id, right id) → (rank, merged id).
    private var mergeTable: [UInt64: (rank: Int32, id: Int32)] = [:]
    /// Segmentations already computed, shared by every thread that encodes with this model.
    private let cache = Locked<[String: [Int32]]>([:])

    /// A model of the initial `units` and ranked `merges`; `unknown` is added to the units when
    /// missing, and every merge adds its concatenation as a unit unless it is already one.
    ///
    /// - Throws: ``WordshiftError/invalidArgument(_:)`` when a merge names a unit that is neither
    ///   initial nor made by an earlier merge.
    public init(units: [String], merges: [(String, String)], endOfWord: String = "</w>", unknown: String = "<unk>") throws {
        var allUnits = units
        if !allUnits.contains(unknown) { allUnits.append(unknown) }
        var ids: [String: Int32] = [:]
        for (i, u) in allUnits.enumerated() where ids[u] == nil { ids[u] = Int32(i) }
        for (rank, (a, b)) in merges.enumerated() {
            guard let ia = ids[a], let ib = ids[b] else {
                throw WordshiftError.invalidArgument("BPE merge \(rank) (\"\(a)\" \"\(b)\") uses a unit that is not in the vocabulary")
            }
            let merged = a + b
            if ids[merged] == nil { ids[merged] = Int32(allUnits.count); allUnits.append(merged) }
            let key = UInt64(UInt32(ia)) << 32 | UInt64(UInt32(ib))
            if mergeTable[key] == nil { mergeTable[key] = (Int32(rank), ids[merged] ?? 0) }
        }
        self.units = allUnits
        self.merges = merges
        self.endOfWord = endOfWord
        self.unknown = unknown
        unitIDs = ids
    }

    /// The id of `unit`, or nil when it is not a unit of the model.
    public func id(of unit: String) -> Int? { unitIDs[unit].map(Int.init) }

    /// Unit ids of one word (no spaces inside).
    public func encodeWord<S: StringProtocol>(_ word: S) -> [Int32] {
        let key = String(word)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let unk = unitIDs[unknown] ?? 0
        let scalars = Array(key.unicodeScalars)
        var symbols: [Int32] = scalars.enumerated().map { i, s in
            let unit = i == scalars.count - 1 ? String(s) + endOfWord : String(s)
            return unitIDs[unit] ?? unk
        }
        while symbols.count > 1 {
            var best: (rank: Int32, pos: Int, id: Int32)?
            for p in 0..<(symbols.count - 1) {
                let k = UInt64(UInt32(symbols[p])) << 32 | UInt64(UInt32(symbols[p + 1]))
                if let m = mergeTable[k], m.rank < (best?.rank ?? Int32.max) { best = (m.rank, p, m.id) }
            }
            guard let b = best else { break }
            symbols[b.pos] = b.id
            symbols.remove(at: b.pos + 1)
        }
        cache.withLock { if $0.count < 1_000_000 { $0[key] = symbols } }
        return symbols
    }

    /// Units of every word of `text` (pre-tokenized like the Hugging Face `Whitespace` splitter).
    public func encode(_ text: String) -> [String] {
        var out: [String] = []
        PreTokenizer.forEachWord(text) { w in out += encodeWord(w).map { units[Int($0)] } }
        return out
    }
}
