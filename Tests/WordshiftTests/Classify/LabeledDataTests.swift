import Testing
@testable import Wordshift

@Suite struct ClassifyDataTests {
    @Test func readsTabAndFastTextFormats() throws {
        let dir = TestData.scratchDirectory()
        let path = Scratch.write("pos\tGreat food!\n__label__neg awful service\n\n__label__meh __label__x so so\r\nneg\t  bad  \n", in: dir)
        let d = try LabeledDataReader.read(path)
        #expect(d.labels == ["meh", "neg", "pos"])
        #expect(d.texts == ["Great food!", "awful service", "so so", "bad"])
        #expect(d.labelIDs == [2, 1, 0, 1])
        #expect(d.labelCounts == [1, 2, 1])
    }

    @Test func badLinesNameFileAndLine() throws {
        let dir = TestData.scratchDirectory()
        let noTab = Scratch.write("pos\tok\njust text without label\n", name: "a.tsv", in: dir)
        #expect(throws: WordshiftError.malformedLine(path: noTab, line: 2, message: "expected `label<TAB>text` or `__label__x text`")) {
            try LabeledDataReader.read(noTab)
        }
        // A label without text is no example: skipped and counted (Hardening/LabeledInputTests).
        let noText = Scratch.write("pos\tok\n__label__neg\n", name: "b.tsv", in: dir)
        #expect(try LabeledDataReader.read(noText).linesWithoutText == 1)
        let emptyText = Scratch.write("pos\t \n", name: "c.tsv", in: dir)
        #expect(throws: WordshiftError.self) { try LabeledDataReader.read(emptyText) }
        let single = Scratch.write("pos\ta\npos\tb\n", name: "d.tsv", in: dir)
        #expect(throws: WordshiftError.self) { try LabeledDataReader.requireTwoClasses(try LabeledDataReader.read(single)) }
    }

    @Test func tokensSplitPunctuationAndKeepCase() {
        #expect(TextTokens.split("Great food!! Don't go.") == ["Great", "food", "!", "!", "Don", "'", "t", "go", "."])
        #expect(TextTokens.lowercased("CAFÉ Ok") == "café ok")
        #expect(LabeledDataReader.textOnly("__label__pos nice one") == "nice one")
        #expect(LabeledDataReader.textOnly("pos\tnice one") == "nice one")
    }

    @Test func featureMapTriesExactThenLowerCaseThenHashes() {
        let words = ["Good": 0, "good": 1, "bad": 2]
        let map = FeatureMap(config: FeatureConfig(storeCount: 3, buckets: 100, wordNgrams: 2)) { words[$0] }
        let r = map.encode("Good good BAD zzz")
        #expect(Array(r.prefix(3)) == [0, 1, 2])
        #expect(r.count == 4 + 3)  // four tokens, three bigrams
        #expect(r[3] >= 3 && r[3] < 103)
        #expect(r == map.encode("Good good BAD zzz"))
    }

    /// Renaming maps labels by name, merges names mapped to one, keeps unlisted names; the
    /// labels outside a head's are listed with their counts.
    @Test func renamingLabelsMergesAndListsUnknownOnes() {
        let data = LabeledDataset(labels: ["1", "0", "maybe", "unused"], texts: ["a", "b", "c", "d", "e"],
                                  labelIDs: [0, 1, 1, 2, -1], source: "t")
        let renamed = data.renamingLabels(["1": "pos", "0": "neg", "maybe": "neg"])
        #expect(renamed.labels == ["pos", "neg", "unused"])
        #expect(renamed.labelIDs == [0, 1, 1, 1, -1])
        #expect(renamed.texts == data.texts && renamed.source == "t")
        let outside = data.examples(withLabelsOutside: ["0"])
        #expect(outside.map(\.label) == ["1", "maybe"] && outside.map(\.examples) == [1, 1])
        #expect(renamed.examples(withLabelsOutside: ["neg", "pos"]).isEmpty)
    }
}
