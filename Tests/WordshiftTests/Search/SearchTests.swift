import Testing
@testable import Wordshift

@Suite struct SearchTests {
    let table = Scratch.table(2_000, 24, seed: 11)
    var index: EmbeddingIndex { EmbeddingIndex(words: table.words, dimension: table.dimension, vectors: table.values) }

    /// Brute force in Double, for comparison.
    func bruteForce(_ index: EmbeddingIndex, _ query: [Float], k: Int, excluding: Set<Int>) -> [String] {
        let q = VectorMath.normalized(query)
        var scored: [(Int, Double)] = []
        for r in 0..<index.count where !excluding.contains(r) {
            var s = 0.0
            for j in 0..<index.dimension { s += Double(q[j]) * Double(index.unit(r)[j]) }
            scored.append((r, s))
        }
        return scored.sorted { $0.1 > $1.1 }.prefix(k).map { index.words[$0.0] }
    }

    @Test func nearestMatchesBruteForce() {
        let idx = index
        for id in [0, 17, 1_999] {
            let got = idx.nearest(to: idx.vector(id), k: 10, excluding: [id], threads: 2).map(\.word)
            #expect(got == bruteForce(idx, idx.vector(id), k: 10, excluding: [id]))
            #expect(!got.contains(idx.words[id]))
        }
    }

    @Test func scoresAreCosinesInDescendingOrder() {
        let idx = index
        let found = idx.nearest(to: idx.vector(5), k: 20)
        #expect(found.first?.word == "w5")
        #expect(abs((found.first?.score ?? 0) - 1) < 1e-5)
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func batchEqualsSingleQueries() {
        let idx = index
        let ids = [3, 400, 999, 1_500]
        let batch = idx.nearestBatch(queries: ids.flatMap { idx.vector($0) }, k: 7, excluding: ids.map { [$0] })
        for (i, id) in ids.enumerated() {
            let single = idx.nearest(to: idx.vector(id), k: 7, excluding: [id])
            #expect(batch[i].map(\.word) == single.map(\.word))
            for (a, b) in zip(batch[i], single) { #expect(abs(a.score - b.score) < 1e-5) }
        }
    }

    @Test func restrictSearchesOnlyThePrefix() {
        let idx = index
        let found = idx.nearest(to: idx.vector(1_900), k: 5, restrict: 100)
        #expect(found.allSatisfy { (idx.id(of: $0.word) ?? 9_999) < 100 })
        #expect(found.count == 5)
    }

    @Test func analogyOnAConstructedSpace() {
        // king − man + woman lands on queen when the offsets are parallel.
        let words = ["man", "woman", "king", "queen", "apple", "car"]
        let v: [[Float]] = [[1, 0, 0, 0.1], [1, 1, 0, 0.1], [1, 0, 1, 0.1], [1, 1, 1, 0.1], [0, 0, 0, 1], [0, 0.2, 0, 1]]
        let idx = EmbeddingIndex(words: words, dimension: 4, vectors: v.flatMap { $0 })
        for method in AnalogyMethod.allCases {
            let answers = idx.analogy(a: 0, b: 2, c: 1, k: 3, method: method)
            #expect(answers.first?.word == "queen", "\(method)")
            #expect(!answers.contains { ["man", "king", "woman"].contains($0.word) })
        }
        #expect(idx.doesntMatch([0, 1, 2, 3, 4]) == 4)  // apple
        #expect(abs(idx.similarity(0, 0) - 1) < 1e-6)
    }

    @Test func resolverIsCaseInsensitiveWhenAsked() throws {
        let idx = EmbeddingIndex(words: ["Paris", "paris", "Berlin"], dimension: 1, vectors: [1, 2, 3])
        #expect(WordResolver(index: idx).row("PARIS") == nil)
        #expect(WordResolver(index: idx, caseInsensitive: true).row("PARIS") == 0)  // the first one wins
        #expect(WordResolver(index: idx, restrict: 2, caseInsensitive: true).row("berlin") == nil)
    }

    @Test func storeIndexEqualsInMemoryIndex() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(table, format: .word2vecBinary, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        let fromStore = try VectorStore(path: dir + "/s.sqlite").loadIndex()
        let idx = index
        #expect(fromStore.words == idx.words)
        #expect(fromStore.nearest(to: idx.vector(9), k: 5).map(\.word) == idx.nearest(to: idx.vector(9), k: 5).map(\.word))
        let one = try #require(try VectorStore(path: dir + "/s.sqlite").lookup("w9"))
        #expect(one.id == 9 && abs(one.norm - idx.norms[9]) < 1e-5)
    }
}

@Suite struct QuantizedSearchTests {
    @Test func int8FirstPassReturnsExactlyTheFloatResult() {
        let n = EmbeddingIndex.quantizedThreshold + 5_000
        let table = Scratch.table(n, 48, seed: 3)
        let index = EmbeddingIndex(words: table.words, dimension: 48, vectors: table.values)
        for (i, id) in [0, 777, n / 2, n - 1].enumerated() {
            var query = index.vector(id)
            query[i] += 0.3  // not exactly a row
            let fast = index.nearest(to: query, k: 10, excluding: [id], threads: 2)
            let plain = index.scan(unitQuery: VectorMath.normalized(query), want: 11, limit: n, threads: 2).sorted()
                .filter { $0.id != id }.prefix(10)
            #expect(fast.map(\.word) == plain.map { index.words[$0.id] })
            #expect(fast.map(\.score) == plain.map(\.score))
        }
        // A restricted search stays exact too.
        let restricted = index.nearest(to: index.vector(5), k: 5, restrict: EmbeddingIndex.quantizedThreshold + 10)
        let plain = index.scan(unitQuery: index.unitVector(5), want: 5, limit: EmbeddingIndex.quantizedThreshold + 10, threads: 1).sorted()
        #expect(restricted.map(\.word) == plain.map { index.words[$0.id] })
    }

    @Test func int8BatchEqualsSingleQueriesBitForBit() {
        let n = EmbeddingIndex.quantizedThreshold + 3_001, d = 40
        let table = Scratch.table(n, d, seed: 11)
        let index = EmbeddingIndex(words: table.words, dimension: d, vectors: table.values)
        // The int8 copy serves an index's searches from its second on: one search first.
        _ = index.nearest(to: index.vector(1), k: 1)
        // 7 queries: the kernel's groups of four plus a remainder; a negated row; one excluded set empty.
        let ids = [0, 3, 999, n / 3, n / 2, n - 2, n - 1]
        var queries = ids.flatMap { index.vector($0) }
        for j in 0..<d { queries[2 * d + j] = -queries[2 * d + j] }
        let excluded: [Set<Int>] = ids.enumerated().map { $0.offset == 4 ? [] : [$0.element] }
        for restrict in [nil, EmbeddingIndex.quantizedThreshold + 7] as [Int?] {
            let batch = index.nearestBatch(queries: queries, k: 9, excluding: excluded, restrict: restrict)
            #expect(index.hasQuantizedCopy)
            #expect(batch.count == ids.count)
            for i in ids.indices {
                let query = Array(queries[i * d..<(i + 1) * d])
                let single = index.nearest(to: query, k: 9, excluding: excluded[i], restrict: restrict, threads: 2)
                #expect(batch[i].map(\.word) == single.map(\.word))
                #expect(batch[i].map(\.score) == single.map(\.score))
                let plain = index.scan(unitQuery: VectorMath.normalized(query), want: 10, limit: restrict ?? n, threads: 1)
                    .sorted().filter { !excluded[i].contains($0.id) }.prefix(9)
                #expect(batch[i].map(\.word) == plain.map { index.words[$0.id] })
            }
        }
    }
}

@Suite struct DeferredQuantizedCopyTests {
    @Test func firstSearchScansFloatsLaterOnesUseTheInt8CopyWithTheSameAnswers() {
        let n = EmbeddingIndex.quantizedThreshold + 1_000, d = 24
        let table = Scratch.table(n, d, seed: 5)
        let index = EmbeddingIndex(words: table.words, dimension: d, vectors: table.values)
        let query = index.vector(42)
        // A search of fewer rows than the threshold neither builds nor counts toward the copy.
        _ = index.nearest(to: query, k: 5, restrict: 1_000)
        #expect(!index.hasQuantizedCopy)
        let first = index.nearest(to: query, k: 10, excluding: [42], threads: 2)
        #expect(!index.hasQuantizedCopy)  // one question: the float32 scan only
        let second = index.nearest(to: query, k: 10, excluding: [42], threads: 2)
        #expect(index.hasQuantizedCopy)
        #expect(first == second)
        let plain = index.scan(unitQuery: VectorMath.normalized(query), want: 11, limit: n, threads: 1).sorted()
            .filter { $0.id != 42 }.prefix(10)
        #expect(first.map(\.word) == plain.map { index.words[$0.id] })
        #expect(first.map(\.score) == plain.map(\.score))
    }

    @Test func aFirstSmallBatchUsesTheFloatProductThenTheCopy() {
        let n = EmbeddingIndex.quantizedThreshold + 500, d = 16
        let table = Scratch.table(n, d, seed: 9)
        let index = EmbeddingIndex(words: table.words, dimension: d, vectors: table.values)
        let ids = [1, 700, n - 1]
        let queries = ids.flatMap { index.vector($0) }
        let excluded: [Set<Int>] = ids.map { [$0] }
        let first = index.nearestBatch(queries: queries, k: 6, excluding: excluded)
        #expect(!index.hasQuantizedCopy)
        let second = index.nearestBatch(queries: queries, k: 6, excluding: excluded)
        #expect(index.hasQuantizedCopy)
        #expect(first == second)
    }
}
