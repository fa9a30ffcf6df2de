import Testing
@testable import Wordshift

/// Work split across threads: every index handled exactly once, whatever the split.
@Suite struct ParallelTests {
    @Test(arguments: [(0, 2, 4), (1, 2, 4), (3, 2, 4), (8, 2, 4), (9, 2, 4), (1000, 2, 4), (1001, 3, 7), (50, 8, 1), (10, 1, 3)])
    func chunksCoverEveryIndexOnce(count: Int, threads: Int, chunk: Int) {
        let seen = Locked([Int](repeating: 0, count: count))
        let ranges = Locked([Range<Int>]())
        Parallel.forEachChunk(count: count, threads: threads, chunk: chunk) { range in
            ranges.withLock { $0.append(range) }
            seen.withLock { s in for i in range { s[i] += 1 } }
        }
        #expect(seen.withLock { $0 } == [Int](repeating: 1, count: count))
        #expect(ranges.withLock { $0 }.allSatisfy { !$0.isEmpty && ($0.count <= chunk || threads == 1 || $0.count == count) })
    }
}
