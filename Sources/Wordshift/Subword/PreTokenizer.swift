/// Splits text into words for BPE the way the Hugging Face `Whitespace` pre-tokenizer does
/// (`\w+|[^\w\s]+`): runs of word characters and runs of other non-space characters. Word
/// characters are those of Unicode `\w` as the Rust regex crate defines it: Alphabetic, marks
/// (Mn, Mc, Me), decimal digits (Nd), connector punctuation (Pc) and Join_Control; space is
/// White_Space. ASCII is classified by table, other scalars by their Unicode properties.
package enum PreTokenizer {
    package enum Kind { case word, punctuation, space }

    @inline(__always)
    package static func kind(_ s: Unicode.Scalar) -> Kind {
        let v = s.value
        if v < 128 {
            if (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95 { return .word }
            if v == 32 || (v >= 9 && v <= 13) || v == 28 || v == 29 || v == 30 || v == 31 { return .space }
            return .punctuation
        }
        let p = s.properties
        if p.isWhitespace { return .space }
        if p.isAlphabetic || p.isJoinControl { return .word }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation, .decimalNumber: return .word
        default: return .punctuation
        }
    }

    /// The words of `text`, in order.
    package static func words(_ text: String) -> [Substring] {
        var out: [Substring] = []
        forEachWord(text) { out.append($0) }
        return out
    }

    package static func forEachWord(_ text: String, _ body: (Substring) -> Void) {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var current: Kind = .space
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let k = kind(scalars[i])
            if k != current {
                if current != .space { body(Substring(scalars[start..<i])) }
                start = i
                current = k
            }
            i = scalars.index(after: i)
        }
        if current != .space { body(Substring(scalars[start..<scalars.endIndex])) }
    }
}
