#if canImport(Glibc)
import Glibc
#endif

/// Parses decimal numbers from bytes the way Python's `float()` followed by a float32 cast
/// does (gensim's loader): decimal → correctly rounded double → float. Short inputs take an
/// exact fast path (at most 15 significant digits, |exponent| ≤ 22); the rest go to `strtod`.
enum DecimalParser {
    private static let powersOf10: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Returns the value, or nil if the bytes are not a finite decimal number.
    @inline(__always)
    static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        if n == 0 { return nil }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; i = 1 } else if p[0] == UInt8(ascii: "+") { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, significant = 0, exponent = 0
        var sawDigit = false
        while i < n, p[i] &- 48 < 10 {
            sawDigit = true
            if significant > 0 || p[i] != 48 {
                if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48) } else { exponent += 1 }
                significant += 1
            }
            digits += 1; i += 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, p[i] &- 48 < 10 {
                sawDigit = true
                if significant > 0 || p[i] != 48 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); exponent -= 1 }
                    significant += 1
                } else {
                    exponent -= 1
                }
                digits += 1; i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") { expNegative = true; i += 1 } else if i < n, p[i] == UInt8(ascii: "+") { i += 1 }
            var e = 0, expDigits = 0
            while i < n, p[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1; i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if significant <= 15 {
            var v = Double(mantissa)
            if exponent == 0 || v == 0 { return negative ? -v : v }
            if exponent > 0 && exponent <= 22 { v *= powersOf10[exponent]; return negative ? -v : v }
            if exponent < 0 && exponent >= -22 { v /= powersOf10[-exponent]; return negative ? -v : v }
        }
        return slowParse(p, n)
    }

    private static func slowParse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var buffer = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { buffer[k] = CChar(bitPattern: p[k]) }
        return buffer.withUnsafeBufferPointer { b -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            guard let start = b.baseAddress else { return nil }
            let v = strtod(start, &end)
            guard let end, end - UnsafeMutablePointer(mutating: start) == n, v.isFinite else { return nil }
            return v
        }
    }

    /// Parses a whole float token as gensim would (double first, then float32). Rejects NaN,
    /// infinities and values that overflow float32.
    @inline(__always)
    static func parseFloat(_ p: UnsafePointer<UInt8>, _ n: Int) -> Float? {
        guard let d = parseDouble(p, n) else { return nil }
        let f = Float(d)
        return f.isFinite ? f : nil
    }
}
