/// What one request may ask for. Requests over a limit get a 400 (or 413 for the body) with a
/// JSON error naming the limit; the limits keep one client from holding every core.
public struct ServerLimits: Sendable, Codable, Equatable {
    /// Largest request body (POST), in bytes.
    public var maxBodyBytes: Int = 64 * 1024
    /// Most words in one request (doesnt-match, nearest with several words, tokens of a text to explain).
    public var maxWords: Int = 64
    /// Largest `k` (neighbours, answers, map points).
    public var maxK: Int = 1_000
    /// Longest single word, in bytes.
    public var maxWordBytes: Int = 256
    /// Most tokens of a text whose contribution is computed one by one (`classify` explain).
    public var maxExplainTokens: Int = 200

    public init() {}
}
