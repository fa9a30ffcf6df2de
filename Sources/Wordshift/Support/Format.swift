/// Human-readable numbers for progress and reports.
package enum Format {
    package static func quantity(_ x: Double) -> String {
        let a = abs(x)
        if a >= 1e9 { return fixed(x / 1e9, 2) + "G" }
        if a >= 1e6 { return fixed(x / 1e6, 2) + "M" }
        if a >= 1e4 { return fixed(x / 1e3, 1) + "k" }
        return fixed(x, a < 10 && x != x.rounded() ? 2 : 0)
    }

    package static func percent(_ f: Double) -> String { fixed(f * 100, 1) + "%" }

    package static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        if t >= 3600 { return "\(t / 3600)h\(pad2((t % 3600) / 60))m" }
        if t >= 60 { return "\(t / 60)m\(pad2(t % 60))s" }
        return fixed(s, s < 10 ? 1 : 0) + "s"
    }

    /// `x` with `digits` decimals, without Foundation.
    package static func fixed(_ x: Double, _ digits: Int) -> String {
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
