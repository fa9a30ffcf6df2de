/// Hand-written UTF-8 decoding and word-character classes for the unicode tokenizer.
enum UTF8Decoding {
    /// Decodes one scalar at `p` (which holds `available` ≥ 1 bytes, the first ≥ 0x80).
    /// Returns nil and length 1 for an invalid or truncated sequence (it counts as U+FFFD).
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ available: Int) -> (Unicode.Scalar?, Int) {
        let b0 = UInt32(p[0])
        var need: Int
        var value: UInt32
        var minimum: UInt32
        if b0 & 0xE0 == 0xC0 { need = 2; value = b0 & 0x1F; minimum = 0x80 }
        else if b0 & 0xF0 == 0xE0 { need = 3; value = b0 & 0x0F; minimum = 0x800 }
        else if b0 & 0xF8 == 0xF0 { need = 4; value = b0 & 0x07; minimum = 0x10000 }
        else { return (nil, 1) }
        if available < need { return (nil, 1) }
        var k = 1
        while k < need {
            let b = UInt32(p[k])
            if b & 0xC0 != 0x80 { return (nil, 1) }
            value = (value << 6) | (b & 0x3F)
            k += 1
        }
        if value < minimum { return (nil, 1) }  // overlong
        guard let s = Unicode.Scalar(value) else { return (nil, 1) }  // surrogate or > U+10FFFF
        return (s, need)
    }
}

extension UTF8Boundary {
    /// `count` cut down to at most `limit` bytes without splitting a character.
    static func truncated(_ p: UnsafePointer<UInt8>, _ count: Int, to limit: Int) -> Int {
        if count <= limit { return count }
        var end = limit
        while end > 0 && p[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }
}

/// Which characters make up words: ASCII letters, digits and `_`; beyond ASCII, letters,
/// numbers and combining marks. The Basic Multilingual Plane is classified once into a bitmap.
enum WordCharacters {
    static let ascii: [Bool] = (0..<128).map { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    private static let bmp: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for v in 0..<0x10000 {
            if let s = Unicode.Scalar(UInt32(v)), classify(s) { bits[v >> 6] |= 1 << UInt64(v & 63) }
        }
        return bits
    }()

    @inline(__always)
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        let v = Int(s.value)
        if v < 0x10000 { return bmp[v >> 6] & (1 << UInt64(v & 63)) != 0 }
        return classify(s)
    }

    static func classify(_ s: Unicode.Scalar) -> Bool {
        if s.value < 128 { return ascii[Int(s.value)] }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber,
             .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation:
            return true
        default:
            return false
        }
    }
}
