/// A one-line progress bar on standard error with rate and ETA. It stays silent when standard
/// error is not a terminal or when `quiet` is set, so logs and pipes stay clean.
public final class ProgressBar: @unchecked Sendable {
    public let label: String
    public let unit: String
    public var total: Double?
    private let enabled: Bool
    private let started = System.now()
    private var lastDraw = 0.0
    private var current = 0.0
    private var suffix = ""

    public init(_ label: String, total: Double? = nil, unit: String = "", quiet: Bool = false) {
        self.label = label
        self.total = total
        self.unit = unit
        enabled = !quiet && System.isTerminal(2)
    }

    /// Sets the absolute progress; redraws at most 10 times a second.
    public func update(_ value: Double, note: String? = nil) {
        current = value
        if let note { suffix = note }
        guard enabled else { return }
        let t = System.now()
        if t - lastDraw < 0.1 { return }
        lastDraw = t
        draw(now: t)
    }

    public func finish(note: String? = nil) {
        if let note { suffix = note }
        guard enabled else { return }
        if let total { current = total }
        draw(now: System.now())
        System.writeStderr("\n")
    }

    private func draw(now: Double) {
        let elapsed = max(now - started, 1e-9)
        let rate = current / elapsed
        var line = "\r\u{1B}[2K\(label) "
        if let total, total > 0 {
            let fraction = min(1, current / total)
            let width = 28
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
            line += Format.percent(fraction) + " "
            let eta = rate > 0 ? (total - current) / rate : 0
            line += "\(Format.quantity(current))/\(Format.quantity(total))\(unit) "
            line += "\(Format.quantity(rate))\(unit)/s ETA \(Format.duration(eta))"
        } else {
            line += "\(Format.quantity(current))\(unit) \(Format.quantity(rate))\(unit)/s \(Format.duration(elapsed))"
        }
        if !suffix.isEmpty { line += " " + suffix }
        System.writeStderr(line)
    }
}

/// Human-readable numbers for progress and reports.
public enum Format {
    public static func quantity(_ x: Double) -> String {
        let a = abs(x)
        if a >= 1e9 { return fixed(x / 1e9, 2) + "G" }
        if a >= 1e6 { return fixed(x / 1e6, 2) + "M" }
        if a >= 1e4 { return fixed(x / 1e3, 1) + "k" }
        return fixed(x, a < 10 && x != x.rounded() ? 2 : 0)
    }

    public static func percent(_ f: Double) -> String { fixed(f * 100, 1) + "%" }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600)h\(pad2((t % 3600) / 60))m" }
        if t >= 60 { return "\(t / 60)m\(pad2(t % 60))s" }
        return fixed(s, s < 10 ? 1 : 0) + "s"
    }

    /// `x` with `digits` decimals, without Foundation.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let intPart = Int(scaled / scale)
        var frac = Int(scaled - Double(intPart) * scale)
        var s = (x < 0 && scaled != 0 ? "-" : "") + String(intPart)
        if digits > 0 {
            var digitsStr = ""
            for _ in 0..<digits { digitsStr = String(frac % 10) + digitsStr; frac /= 10 }
            s += "." + digitsStr
        }
        return s
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
