/// Decides a vector file's format from its first bytes (the name is only a hint for `.bin`).
enum FormatDetector {
    /// fastText's `.bin` model magic number, little-endian.
    static let fastTextMagic: [UInt8] = [0xBA, 0x16, 0x4F, 0x2F]

    static func detect(path: String) throws -> VectorFormat {
        let reader = try ByteReader(path: path)
        let cap = 1 << 16
        var head = [UInt8](repeating: 0, count: cap)
        let n = try head.withUnsafeMutableBytes { raw in
            guard let start = raw.baseAddress else { return 0 }
            return try reader.read(into: start, count: cap)
        }
        head.removeSubrange(n...)
        return try detect(head: head, path: path)
    }

    static func detect(head raw: [UInt8], path: String) throws -> VectorFormat {
        // A UTF-8 byte order mark is not part of the header (the text readers skip it too).
        let head = raw.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(raw.dropFirst(3)) : raw
        if head.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            throw WordshiftError.emptyInput(path: path, message: "the file is empty")
        }
        if head.count >= 4 && Array(head[0..<4]) == fastTextMagic { return .fastTextBinary }
        let firstEnd = head.firstIndex(of: 10) ?? head.count
        let firstLine = Array(head[0..<firstEnd])
        guard let (_, dim) = parseHeader(firstLine) else { return .gloveText }
        // A header: the next row is text if it splits into a word and `dim` numbers.
        let rowStart = min(firstEnd + 1, head.count)
        let rowEnd = head[rowStart...].firstIndex(of: 10) ?? head.count
        let row = Array(head[rowStart..<rowEnd])
        if rowStart == head.count { return path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText }
        // A first row longer than the window without a single space (a giant word): the bytes
        // seen say nothing, the name decides.
        if rowEnd == head.count && !row.contains(32) { return path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText }
        // Text if the row has no control bytes and is either valid UTF-8 (so a bad number is
        // reported as a text error) or a word followed by `dim` numbers (a word in a legacy
        // encoding). Raw float32 bytes almost always hold control bytes or invalid UTF-8.
        if row.contains(where: { ($0 < 0x20 && $0 != 9 && $0 != 13) || $0 == 0x7F }) { return .word2vecBinary }
        if String(validating: row, as: UTF8.self) != nil || isNumericRow(row, dimension: dim) { return .word2vecText }
        return .word2vecBinary
    }

    /// Why `path` cannot be what `forced` says, when its content clearly shows another
    /// format (a word2vec text file read with `--format word2vec-binary` would otherwise give
    /// junk words); nil when there is no such evidence.
    static func contradiction(forced: VectorFormat, path: String) throws -> String? {
        guard forced == .word2vecBinary else { return nil }
        let reader = try ByteReader(path: path)
        let cap = 1 << 16
        var head = [UInt8](repeating: 0, count: cap)
        let n = try head.withUnsafeMutableBytes { raw in
            guard let start = raw.baseAddress else { return 0 }
            return try reader.read(into: start, count: cap)
        }
        head.removeSubrange(n...)
        let lines = head.split(separator: 10, maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count >= 2, let (_, dim) = parseHeader(Array(lines[0])), isNumericRow(Array(lines[1]), dimension: dim) else {
            return nil
        }
        return "--format word2vec-binary, but this is a word2vec text file (line 2 is a word and \(dim) numbers); "
            + "drop --format or use --format word2vec-text"
    }

    /// `N D` with two non-negative integers, or nil.
    static func parseHeader(_ line: [UInt8]) -> (count: Int, dimension: Int)? {
        let fields = Tokens.split(line)
        guard fields.count == 2,
              let c = Int(String(decoding: fields[0], as: UTF8.self)), c >= 0,
              let d = Int(String(decoding: fields[1], as: UTF8.self)), d > 0 else { return nil }
        return (c, d)
    }

    private static func isNumericRow(_ row: [UInt8], dimension: Int) -> Bool {
        let fields = Tokens.split(row)
        return fields.count == dimension + 1 && fields.dropFirst().allSatisfy { f in
            f.withUnsafeBufferPointer { b in b.baseAddress.map { DecimalParser.parseDouble($0, b.count) != nil } ?? false }
        }
    }
}

/// Splitting a line into fields at runs of spaces and tabs (CR at the end tolerated).
enum Tokens {
    static func split(_ line: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var current: [UInt8] = []
        for b in line {
            if b == 32 || b == 9 || b == 13 {
                if !current.isEmpty { out.append(current); current = [] }
            } else {
                current.append(b)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 13 }
}
