/// Text from outside data (words, labels, head names, tokens) made safe to print: control
/// characters (terminal escape sequences included) become visible escapes, and long text is
/// cut, so an error message or a listing never dumps raw bytes or drives the terminal.
package enum Quote {
    /// `text` with every C0/C1 control character and DEL written as `\n`, `\t`, `\r` or
    /// `\u{1B}`; everything else unchanged.
    package static func terminalSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for u in text.unicodeScalars {
            guard isControl(u) else { out.unicodeScalars.append(u); continue }
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// A word for a message: in double quotes, terminal-safe, and cut after `limit`
    /// characters (saying how long it was).
    package static func word(_ word: String, limit: Int = 60) -> String {
        let count = word.count
        if count <= limit { return "\"" + terminalSafe(word) + "\"" }
        return "\"" + terminalSafe(String(word.prefix(limit))) + "…\" (\(word.utf8.count) bytes)"
    }

    /// Bytes for a message: decoded as UTF-8 (invalid sequences as U+FFFD), then as `word`.
    package static func bytes<C: Collection>(_ bytes: C, limit: Int = 60) -> String where C.Element == UInt8 {
        let text = String(decoding: bytes.prefix(4 * limit), as: UTF8.self)
        let cut = text.count > limit || bytes.count > 4 * limit
        return "\"" + terminalSafe(String(text.prefix(limit))) + (cut ? "…\" (\(bytes.count) bytes)" : "\"")
    }

    @inline(__always) static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0)
    }
}
