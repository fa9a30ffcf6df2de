import ArgumentParser
import Wordshift

/// The checks every number given on the command line goes through, applied while the flag is
/// parsed, so that a value out of range is refused (exit 64, naming the flag and the allowed
/// range) before any file is opened or any work starts. Each numeric `@Option` names its rule
/// as its `transform`:
///
///     @Option(name: .short, help: "…", transform: Flags.integer(1...)) var k = 10
///     @Option(name: .long, help: "…", transform: Flags.real(above: 0)) var eta = 0.05
///     @Option(name: .long, help: "…", transform: Flags.threads) var threads: Int?
///
/// Integers must be written as integers and fit the range; reals must be finite (no `inf`, no
/// `nan`) and inside their bounds; thread counts are clamped (with a note) to what the machine
/// can use.
enum Flags {
    /// The message ArgumentParser prints after "The value 'x' is invalid for '--flag <flag>': ".
    struct Refusal: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// An integer inside `range`.
    static func integer(_ range: ClosedRange<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let v = Int(text.trimmingSpaces()) else { throw Refusal("not an integer (\(describe(range)))") }
            guard range.contains(v) else { throw Refusal("must be \(describe(range))") }
            return v
        }
    }

    /// An integer at least `range.lowerBound`.
    static func integer(_ range: PartialRangeFrom<Int>) -> @Sendable (String) throws -> Int {
        integer(range.lowerBound...Int.max)
    }

    /// A finite real number inside the given bounds (`above`/`below` exclusive, `from`/`through`
    /// inclusive).
    static func real<T: BinaryFloatingPoint & LosslessStringConvertible & Sendable>(
        above: T? = nil, from: T? = nil, below: T? = nil, through: T? = nil
    ) -> @Sendable (String) throws -> T {
        { text in
            var bounds: [String] = []
            if let above { bounds.append("greater than \(above)") }
            if let from { bounds.append("at least \(from)") }
            if let below { bounds.append("less than \(below)") }
            if let through { bounds.append("at most \(through)") }
            let wanted = bounds.isEmpty ? "a finite number" : "a finite number " + bounds.joined(separator: " and ")
            guard let v = T(text.trimmingSpaces()), v.isFinite else { throw Refusal("must be \(wanted)") }
            if let above, !(v > above) { throw Refusal("must be \(wanted)") }
            if let from, !(v >= from) { throw Refusal("must be \(wanted)") }
            if let below, !(v < below) { throw Refusal("must be \(wanted)") }
            if let through, !(v <= through) { throw Refusal("must be \(wanted)") }
            return v
        }
    }

    /// A worker-thread count: at least 1; above `Parallel.maximumThreads` (four per core) it is
    /// lowered to that, with a note on standard error (unless `--quiet`).
    @Sendable static func threads(_ text: String) throws -> Int {
        guard let v = Int(text.trimmingSpaces()) else { throw Refusal("not an integer (at least 1)") }
        guard v >= 1 else { throw Refusal("must be at least 1") }
        let limit = Parallel.maximumThreads
        if v > limit {
            let quiet = CommandLine.arguments.contains { $0 == "--quiet" || $0 == "-q" }
            if !quiet {
                Console.error("note: \(v) threads requested; using \(limit) (four per core on this machine's \(System.coreCount) cores)\n")
            }
            return limit
        }
        return v
    }

    /// A memory size such as `4G`, `512M`, `64K` or a byte count, up to 1P (kept as written;
    /// `CooccurrenceOptions.parseMemory` reads it).
    @Sendable static func memory(_ text: String) throws -> String {
        do {
            _ = try CooccurrenceOptions.parseMemory(text)
            return text
        } catch let error as WordshiftError {
            throw Refusal(error.description.replacingOccurrences(of: "--memory: ", with: ""))
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, let hi): return "at most \(hi)"
        case (let lo, Int.max): return "at least \(lo)"
        case let (lo, hi): return "between \(lo) and \(hi)"
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
