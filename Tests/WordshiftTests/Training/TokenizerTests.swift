import Foundation
import Testing
@testable import Wordshift

@Suite("Training: tokenizers")
struct TrainingTokenizerTests {
    @Test func whitespaceSplitsLikeTheReferenceTools() throws {
        let path = TrainingFixtures.file("The cat,  sat\ton\r\nthe MAT.\n\n  x\ra y")
        let (t, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .whitespace))
        #expect(t == ["The", "cat,", "sat", "on", "¶", "the", "MAT.", "¶", "xa", "y", "¶"])
    }

    @Test func unicodeNormalisesAndSplitsWords() throws {
        let path = TrainingFixtures.file("Ｆｕｌｌ ﬁ Straße ÅNGSTRÖM don't HeLLo_World 42nd\nCafé—naïve")
        let (t, invalid) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode))
        #expect(t == ["full", "fi", "strasse", "ångström", "don", "t", "hello_world", "42nd", "¶", "café", "naïve", "¶"])
        #expect(invalid == 0)
    }

    @Test func keepCaseSkipsFoldingButStillNormalises() throws {
        let path = TrainingFixtures.file("Ｆｕｌｌ Straße ABC")
        let (t, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode, keepCase: true))
        #expect(t == ["Full", "Straße", "ABC", "¶"])
    }

    @Test func invalidUTF8IsReplacedAndCounted() throws {
        let path = TrainingFixtures.file(bytes: [0x61, 0x62, 0xFF, 0x63, 0x20, 0xC3, 0x28, 0x64, 0x0A])
        let (t, invalid) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .unicode))
        #expect(t == ["ab", "c", "d", "¶"])
        #expect(invalid == 2)
    }

    @Test func tinyChunksGiveTheSameTokens() throws {
        let text = String(repeating: "Größe ñandú 東京タワー word-split x\u{301}y\n", count: 20) + String(repeating: "z", count: 3000)
        let path = TrainingFixtures.file(text)
        for kind in TokenizerKind.allCases {
            let whole = try TrainingFixtures.tokens(path, TokenizerOptions(kind: kind))
            let tiny = try TrainingFixtures.tokens(path, TokenizerOptions(kind: kind), chunkSize: 8)
            #expect(whole.tokens == tiny.tokens)
            #expect(whole.tokens.last == "¶")
            // The 3000-byte token is truncated to 999 bytes, like the reference tools.
            #expect(whole.tokens.dropLast().last?.utf8.count == 999)
        }
    }

    @Test func overlongTokensAreCutOnCharacterBoundaries() throws {
        let path = TrainingFixtures.file(String(repeating: "é", count: 1000) + " a")
        let (t, _) = try TrainingFixtures.tokens(path, TokenizerOptions(kind: .whitespace), chunkSize: 64)
        #expect(t.first?.utf8.count == 998)
        #expect(t.dropFirst().first == "a")
    }
}
