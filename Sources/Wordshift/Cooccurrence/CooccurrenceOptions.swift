/// How co-occurrences are counted.
public struct CooccurrenceOptions: Codable, Sendable, Equatable {
    /// Context words on each side (or on the left only).
    public var window: Int = 15
    /// Count both (left, right) and (right, left); otherwise only (left word, centre word).
    public var symmetric: Bool = true
    /// Weight a pair at distance d by 1/d; otherwise by 1.
    public var distanceWeighting: Bool = true
    /// Memory budget in bytes for the counting tables and buffers.
    public var memoryBytes: Int = 4 << 30
    /// Where spill runs (and the token id stream) go.
    public var temporaryDirectory: String = CooccurrenceOptions.defaultTemporaryDirectory
    /// Most spill files open at once during a merge; more runs are merged in passes.
    public var maximumOpenRuns: Int = 64

    /// The defaults: window 15, symmetric, 1/d weighting, a 4 GiB budget, spills in
    /// ``defaultTemporaryDirectory``, at most 64 spill files open at once.
    public init() {}

    /// `$TMPDIR`, or `/tmp` when it is unset or empty.
    public static var defaultTemporaryDirectory: String { TemporaryFileOwner.defaultDirectory }

    /// The largest budget `parseMemory` accepts (1 PiB).
    public static let maximumMemory = 1 << 50

    /// Parses sizes like `4G`, `512M`, `64K` or plain bytes (up to 1P).
    public static func parseMemory(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        var digits = Substring(t)
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        var scale: Double = 1
        switch digits.last {
        case "K": scale = 1024
        case "M": scale = 1024 * 1024
        case "G": scale = 1024 * 1024 * 1024
        case "T": scale = 1024 * 1024 * 1024 * 1024
        case "P": scale = 1024 * 1024 * 1024 * 1024 * 1024
        default: break
        }
        if scale > 1 { digits = digits.dropLast() }
        guard let v = Double(digits), v > 0, v.isFinite else {
            throw WordshiftError.invalidArgument("--memory: cannot read \"\(text)\" (use e.g. 4G, 512M)")
        }
        // Checked before the conversion: a budget beyond 1 PiB is a typo, and Int(v) traps past Int.max.
        guard v * scale <= Double(maximumMemory) else {
            throw WordshiftError.invalidArgument("--memory: \"\(text)\" is more than 1P (use e.g. 4G, 512M)")
        }
        return max(1, Int(v * scale))
    }
}

import Foundation
