/// How raw text becomes tokens.
public enum TokenizerKind: String, Codable, Sendable, CaseIterable {
    /// Words are separated by space, tab and newline, exactly like the reference GloVe tools.
    case whitespace
    /// Words are runs of letters, digits, marks and `_`; normalised with NFKC and case folding.
    case unicode
}

/// How a corpus is split into tokens: the tokenizer and whether it folds case.
public struct TokenizerOptions: Codable, Sendable, Equatable {
    /// Which tokenizer: ``TokenizerKind/unicode`` (the default) or ``TokenizerKind/whitespace``.
    public var kind: TokenizerKind
    /// Unicode tokenizer only: skip case folding (NFKC still applies).
    public var keepCase: Bool
    /// Options for `kind`; `keepCase` turns off the Unicode tokenizer's case folding.
    public init(kind: TokenizerKind = .unicode, keepCase: Bool = false) {
        self.kind = kind
        self.keepCase = keepCase
    }
}

/// Receives the tokens of a corpus, in order. A newline (and the end of each file) ends a
/// document; co-occurrence windows never cross document ends.
protocol TokenSink {
    mutating func token(_ bytes: UnsafeRawBufferPointer)
    mutating func endOfDocument()
}

/// Longest token kept, in bytes (the reference tools truncate at 999 bytes, too).
let maximumTokenBytes = 999

/// Splits a byte stream (fed in chunks that end on character boundaries) into tokens.
/// Tokens that straddle chunks are assembled in a small side buffer; an over-long token is
/// truncated, so a gigantic line without newline streams in constant memory.
struct TokenStream: ~Copyable {
    let options: TokenizerOptions
    /// Invalid UTF-8 sequences seen (unicode tokenizer), each treated as a separator (U+FFFD).
    private(set) var invalidUTF8 = 0
    private(set) var tokens = 0
    private var pending: UnsafeMutablePointer<UInt8>
    private var pendingCount = 0
    private var pendingFull = false
    private var inToken = false
    private var tokenHasNonASCII = false
    private var tokenHasCR = false
    private var normaliser = TokenNormaliser()

    init(options: TokenizerOptions) {
        self.options = options
        pending = .allocate(capacity: maximumTokenBytes + 8)
    }

    deinit { pending.deallocate() }

    mutating func feed<S: TokenSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout S) {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        switch options.kind {
        case .whitespace: feedWhitespace(base, chunk.count, &sink)
        case .unicode: feedUnicode(base, chunk.count, &sink)
        }
    }

    /// Ends the current file: flushes a pending token and ends the document.
    mutating func finishFile<S: TokenSink>(into sink: inout S) {
        if inToken { flushPending(&sink) }
        sink.endOfDocument()
    }

    // MARK: whitespace (reference behaviour: ' ', '\t', '\n' separate; '\r' is dropped)

    private mutating func feedWhitespace<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, _ sink: inout S) {
        var i = 0
        var start = 0
        while i < n {
            let b = p[i]
            if b > 0x20 || (b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) {
                if !inToken { inToken = true; start = i; tokenHasCR = false }
                i += 1
                continue
            }
            if b == 0x0D {
                if inToken { tokenHasCR = true }
                i += 1
                continue
            }
            if inToken { endToken(p + start, i - start, &sink) }
            if b == 0x0A { sink.endOfDocument() }
            i += 1
        }
        if inToken { appendPending(p + start, n - start) }
    }

    // MARK: unicode

    private mutating func feedUnicode<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ n: Int, _ sink: inout S) {
        var i = 0
        var start = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                if WordCharacters.ascii[Int(b)] {
                    if !inToken { inToken = true; start = i; tokenHasNonASCII = false }
                    i += 1
                    continue
                }
                if inToken { endToken(p + start, i - start, &sink) }
                if b == 0x0A { sink.endOfDocument() }
                i += 1
                continue
            }
            let (scalar, length) = UTF8Decoding.decode(p + i, n - i)
            if let scalar, WordCharacters.isWord(scalar) {
                if !inToken { inToken = true; start = i; tokenHasNonASCII = false }
                tokenHasNonASCII = true
            } else {
                if scalar == nil { invalidUTF8 += 1 }
                if inToken { endToken(p + start, i - start, &sink) }
            }
            i += length
        }
        if inToken { appendPending(p + start, n - start) }
    }

    // MARK: token assembly

    private mutating func endToken<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ count: Int, _ sink: inout S) {
        if pendingCount == 0 && !tokenHasCR {
            emit(p, UTF8Boundary.truncated(p, count, to: maximumTokenBytes), &sink)
        } else {
            appendPending(p, count)
            flushPending(&sink)
        }
        inToken = false
    }

    private mutating func flushPending<S: TokenSink>(_ sink: inout S) {
        if pendingCount > 0 { emit(pending, pendingCount, &sink) }
        pendingCount = 0
        pendingFull = false
        inToken = false
        tokenHasCR = false
    }

    private mutating func appendPending(_ p: UnsafePointer<UInt8>, _ count: Int) {
        if pendingFull { return }
        let room = maximumTokenBytes + 4
        var k = 0
        while k < count && pendingCount < room {
            let b = p[k]
            if !(tokenHasCR && b == 0x0D) { pending[pendingCount] = b; pendingCount += 1 }
            k += 1
        }
        if pendingCount > maximumTokenBytes {
            pendingCount = UTF8Boundary.truncated(pending, pendingCount, to: maximumTokenBytes)
            pendingFull = true
        }
    }

    private mutating func emit<S: TokenSink>(_ p: UnsafePointer<UInt8>, _ count: Int, _ sink: inout S) {
        guard count > 0 else { return }
        tokens += 1
        if options.kind == .whitespace || (options.keepCase && !tokenHasNonASCII) {
            sink.token(UnsafeRawBufferPointer(start: p, count: count))
        } else if !tokenHasNonASCII {
            normaliser.lowercaseASCII(p, count) { sink.token($0) }
        } else {
            // NFKC can turn one word character into several words (U+FDFA becomes a four-word
            // phrase): the normalised form is split again at whitespace, so no token holds any.
            var pieces = 0
            normaliser.nfkc(p, count, fold: !options.keepCase) { normalised in
                Whitespace.forEachPiece(of: normalised) { piece in
                    pieces += 1
                    sink.token(piece)
                }
            }
            tokens += pieces - 1
        }
    }
}

/// Unicode White_Space in UTF-8 text.
enum Whitespace {
    /// Calls `body` with each maximal run of `text` that holds no whitespace, cut to
    /// `maximumTokenBytes` on a character boundary (normalisation can lengthen a token).
    static func forEachPiece(of text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let n = text.count
        var i = 0, start = 0
        func piece(_ end: Int) {
            guard end > start else { return }
            body(UnsafeRawBufferPointer(start: base + start, count: UTF8Boundary.truncated(base + start, end - start, to: maximumTokenBytes)))
        }
        while i < n {
            let length = whitespaceLength(base + i, n - i)
            if length > 0 {
                piece(i)
                i += length
                start = i
            } else {
                i += 1
            }
        }
        piece(n)
    }

    /// The byte length of the whitespace character at `p`, or 0 if there is none there.
    @inline(__always)
    static func whitespaceLength(_ p: UnsafePointer<UInt8>, _ available: Int) -> Int {
        let b = p[0]
        if b < 0x80 { return (b >= 0x09 && b <= 0x0D) || b == 0x20 ? 1 : 0 }
        guard b == 0xC2 || b == 0xE1 || b == 0xE2 || b == 0xE3 else { return 0 }
        let (scalar, length) = UTF8Decoding.decode(p, available)
        guard let scalar, scalar.properties.isWhitespace else { return 0 }
        return length
    }
}
