/// Splits review text into tokens the way the classifier sees it: runs of letters and digits
/// (any non-ASCII byte counts as a letter) are words; every other visible ASCII character is a
/// token of its own (so "great!" gives "great" and "!"). Case is kept; `FeatureMap` tries the
/// exact form in the store first, then the lower-case form.
package enum TextTokens {
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b >= 0x80
    }

    package static func split(_ text: String) -> [String] {
        var out: [String] = []
        forEach(text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// Calls `body` with the bytes of each token.
    package static func forEach(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var copy = text
        copy.withUTF8 { p in
            let n = p.count
            var i = 0
            while i < n {
                let b = p[i]
                if isWordByte(b) {
                    let start = i
                    while i < n && isWordByte(p[i]) { i += 1 }
                    body(UnsafeBufferPointer(rebasing: p[start..<i]))
                } else {
                    if b > 32 && b < 127 { body(UnsafeBufferPointer(rebasing: p[i..<(i + 1)])) }
                    i += 1
                }
            }
        }
    }

    /// Lower-case form of a token (ASCII fast path).
    static func lowercased(_ token: String) -> String {
        var ascii = true
        var changed = false
        for b in token.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b >= 65 && b <= 90 { changed = true }
        }
        if !ascii { return token.lowercased() }
        if !changed { return token }
        return String(decoding: token.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
