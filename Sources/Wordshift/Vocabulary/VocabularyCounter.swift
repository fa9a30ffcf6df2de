/// The counting pass: tokenizes the corpus, counts every token and records the token id stream
/// for the co-occurrence pass.
struct CountingSink: TokenSink {
    let interner: TokenInterner
    let stream: TokenIdStream?
    var error: Error?
    var tokens = 0
    private var lastWasEnd = true

    init(interner: TokenInterner, stream: TokenIdStream?) {
        self.interner = interner
        self.stream = stream
    }

    mutating func token(_ bytes: UnsafeRawBufferPointer) {
        let id = interner.add(bytes)
        tokens += 1
        lastWasEnd = false
        if let stream, error == nil {
            do { try stream.append(UInt32(id)) } catch { self.error = error }
        }
    }

    mutating func endOfDocument() {
        if lastWasEnd { return }
        lastWasEnd = true
        if let stream, error == nil {
            do { try stream.append(TokenIdStream.documentEnd) } catch { self.error = error }
        }
    }
}

/// Result of the counting pass.
struct CountedCorpus {
    let interner: TokenInterner
    let stream: TokenIdStream?
    let tokens: Int
    let bytes: Int
    let invalidUTF8: Int
    let sha256: String
}

enum VocabularyCounter {
    /// Reads the whole corpus once. With `keepStream`, also writes the token id stream into
    /// `temporaryDirectory`.
    static func count(source: CorpusSource, tokenizer: TokenizerOptions, keepStream: Bool,
                      temporaryDirectory: String, progress: ProgressReporter) throws -> CountedCorpus {
        let interner = TokenInterner()
        let stream = keepStream ? try TokenIdStream(directory: temporaryDirectory) : nil
        var sink = CountingSink(interner: interner, stream: stream)
        var tokenStream = TokenStream(options: tokenizer)
        let diskSize = source.sizeOnDisk
        let estimateTotal = diskSize != nil && !source.hasUnknownLength
        progress.begin("counting", unit: " tok")
        try source.stream(chunk: { chunk in
            tokenStream.feed(chunk, into: &sink)
            if let error = sink.error { throw error }
            guard progress.isActive else { return }
            var total: Double?
            if estimateTotal, let diskSize, source.bytesRead > 0 {
                total = Double(sink.tokens) * Double(diskSize) / Double(source.bytesRead)
            }
            progress.update(Double(sink.tokens), total: total, note: "\(interner.count) types")
        }, endOfFile: {
            tokenStream.finishFile(into: &sink)
            if let error = sink.error { throw error }
        })
        try stream?.flush()
        progress.update(Double(sink.tokens), note: "\(interner.count) types")
        progress.end()
        return CountedCorpus(interner: interner, stream: stream, tokens: sink.tokens, bytes: source.bytesRead,
                             invalidUTF8: tokenStream.invalidUTF8, sha256: source.checksum())
    }
}
