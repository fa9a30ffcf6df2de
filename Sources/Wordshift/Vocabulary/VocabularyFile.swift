#if canImport(Glibc)
import Glibc
#endif

/// The reference tools' `vocab.txt`: one `word count` per line, most frequent first. The line
/// order gives the ids (line 1 is id 0 here, id 1 in the reference tools' 1-based files).
public enum VocabularyFile {
    /// Writes `vocab` as `word count` lines, in id order, atomically: the lines go to a temporary
    /// file next to `path` that is renamed over it at the end, so a failure leaves `path` untouched.
    ///
    /// - Throws: ``WordshiftError/io(path:message:)`` when the file cannot be created, written or renamed.
    public static func write(_ vocab: Vocabulary, to path: String) throws {
        let tmp = System.temporarySibling(of: path)
        TemporaryFiles.register(tmp)
        defer { TemporaryFiles.remove(tmp) }
        guard let f = fopen(tmp, "wb") else { throw WordshiftError.io(path: path, message: "cannot create: \(System.errnoString())") }
        var ok = true
        for i in 0..<vocab.count {
            let line = "\(vocab.words[i]) \(vocab.counts[i])\n"
            ok = line.utf8.withContiguousStorageIfAvailable { fwrite($0.baseAddress, 1, $0.count, f) == $0.count }
                ?? (fputs(line, f) >= 0) && ok
            if !ok { break }
        }
        if fclose(f) != 0 || !ok { throw WordshiftError.io(path: path, message: "cannot write: \(System.errnoString())") }
        try System.rename(tmp, to: path)
    }

    /// Reads a `vocab.txt` (plain or gzip) into a vocabulary whose ids are the line order; blank
    /// lines are skipped.
    ///
    /// - Throws: ``WordshiftError/malformedLine(path:line:message:)`` for a line that is not
    ///   `word count` with a non-negative count, or for a repeated word;
    ///   ``WordshiftError/emptyInput(path:message:)`` for a file with no words; I/O errors.
    public static func read(_ path: String) throws -> Vocabulary {
        let reader = try LineReader(path: path)
        var words: [String] = []
        var counts: [Int64] = []
        var seen = Set<String>()
        var lineNumber = 0
        while let parsed = try reader.nextLine({ bytes -> (String, Int64?)? in
            guard !bytes.isEmpty else { return nil }
            guard let space = bytes.lastIndex(of: 0x20), space > 0 else { return ("", nil) }
            let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<space]), as: UTF8.self)
            let count = Int64(String(decoding: UnsafeBufferPointer(rebasing: bytes[(space + 1)...]), as: UTF8.self))
            return (word, count)
        }) {
            lineNumber += 1
            guard let (word, count) = parsed else { continue }
            guard let count, count >= 0, !word.isEmpty else {
                throw WordshiftError.malformedLine(path: path, line: lineNumber, message: "expected `word count` with a non-negative integer count")
            }
            if !seen.insert(word).inserted {
                throw WordshiftError.malformedLine(path: path, line: lineNumber, message: "duplicate word \(Quote.word(word))")
            }
            words.append(word)
            counts.append(count)
        }
        if words.isEmpty { throw WordshiftError.emptyInput(path: path, message: "vocabulary file has no words") }
        return Vocabulary(words: words, counts: counts)
    }
}
