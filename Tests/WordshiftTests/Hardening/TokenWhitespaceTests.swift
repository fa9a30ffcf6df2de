import Foundation
import Testing
@testable import Wordshift

/// Issue 12 §7: NFKC can expand one word character into several words (U+FDFA becomes
/// "صلى الله عليه وسلم"); a token with a space in it cannot be exported. The normalised form
/// is split again, so no token of the unicode tokenizer holds whitespace.
@Suite("Hardening: tokens never hold whitespace")
struct TokenWhitespaceTests {
    @Test func aCharacterThatNormalisesToAPhraseBecomesItsWords() throws {
        let path = TrainingFixtures.file("a \u{FDFA} b x\u{FDFA}y \u{FDFB}\n")
        let (t, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode))
        #expect(t == ["a", "صلى", "الله", "عليه", "وسلم", "b", "xصلى", "الله", "عليه", "وسلمy", "جل", "جلاله", "¶"])
        let (kept, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode, keepCase: true))
        #expect(kept == t)
    }

    /// Every word character of Unicode, alone and inside a word, case-folded and not.
    @Test(arguments: [false, true]) func noWordCharacterProducesATokenWithWhitespace(keepCase: Bool) throws {
        var text = ""
        var expanding = 0
        for v in UInt32(0x80)...0x10FFFF {
            guard let s = Unicode.Scalar(v), WordCharacters.isWord(s) else { continue }
            text.unicodeScalars.append(s)
            text += " q"
            text.unicodeScalars.append(s)
            text += "q\n"
            if String(s).precomposedStringWithCompatibilityMapping.unicodeScalars.contains(where: \.properties.isWhitespace) {
                expanding += 1
            }
        }
        #expect(expanding >= 2, "the test sees characters whose NFKC form holds a space")
        let path = TrainingFixtures.file(text)
        let (t, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode, keepCase: keepCase))
        #expect(t.count > 200_000)
        let bad = t.filter { $0.unicodeScalars.contains(where: \.properties.isWhitespace) }
        #expect(bad.isEmpty, "\(bad.prefix(5))")
        #expect(!t.contains(""))
    }

    @Test func aLongExpansionIsCutLikeAnyLongToken() throws {
        // 300 × U+FDFA: 900 bytes in, about 10 KB after NFKC, 1,200 words out.
        let path = TrainingFixtures.file(String(repeating: "\u{FDFA}", count: 300) + "\n")
        let (t, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode))
        #expect(t.count == 1 + 300 * 3 + 1)   // words fuse across the repetitions: "وسلمصلى"
        #expect(t.allSatisfy { $0.utf8.count <= maximumTokenBytes })
    }
}
