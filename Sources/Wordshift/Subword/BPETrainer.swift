/// Learns BPE merges from word counts: start from characters (the last of each word in its
/// end-of-word form), then repeatedly merge the most frequent adjacent pair until the
/// vocabulary reaches `vocabularySize`. Pair counts are updated incrementally, only in the
/// words that contain the merged pair. Ties go to the pair of smaller unit ids, so training
/// is deterministic.
public struct BPETrainer {
    /// What ``BPETrainer/train(wordCounts:options:)`` learns.
    public struct Options: Codable, Sendable {
        /// Stop once the units (alphabet plus merges) reach this many.
        public var vocabularySize = 8000
        /// Stop when the most frequent remaining pair occurs fewer times than this.
        public var minFrequency = 2
        /// The suffix that marks a word's last character.
        public var endOfWord = "</w>"
        /// The defaults: 8,000 units, pairs seen at least twice, `</w>` as the end-of-word suffix.
        public init() {}
    }

    /// What a training run saw and produced.
    public struct Summary: Codable, Sendable {
        /// Word occurrences counted (the sum of the counts).
        public var words: Int
        /// Distinct words.
        public var distinctWords: Int
        /// Initial units: distinct characters plus their end-of-word forms.
        public var alphabet: Int
        /// Merges learned.
        public var merges: Int
        /// Wall-clock time of the training, in seconds.
        public var seconds: Double
    }

    /// Counts the words of `corpus` files (streamed line by line).
    public static func countWords(corpus: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for path in corpus {
            let lines = try LineReader(path: path)
            while try lines.nextLine({ bytes -> Bool in
                let text = String(decoding: bytes, as: UTF8.self)
                PreTokenizer.forEachWord(text) { counts[String($0), default: 0] += 1 }
                return true
            }) != nil {}
        }
        return counts
    }

    /// Learns merges from `wordCounts` (word → occurrences, e.g. from ``countWords(corpus:)``).
    ///
    /// - Returns: The model and a summary of the run.
    /// - Throws: ``WordshiftError/emptyInput(path:message:)`` when `wordCounts` is empty.
    public static func train(wordCounts: [String: Int], options: Options) throws -> (BPEModel, Summary) {
        let started = System.now()
        guard !wordCounts.isEmpty else { throw WordshiftError.emptyInput(path: "corpus", message: "no words to learn BPE merges from") }
        // Initial units: every character, and every word-final character in end-of-word form.
        var unitIDs: [String: Int32] = [:]
        var units: [String] = []
        func intern(_ u: String) -> Int32 {
            if let id = unitIDs[u] { return id }
            let id = Int32(units.count)
            units.append(u); unitIDs[u] = id
            return id
        }
        let sortedWords = wordCounts.keys.sorted()  // deterministic order
        var chars = Set<String>()
        for w in sortedWords { for s in w.unicodeScalars { chars.insert(String(s)) } }
        for c in chars.sorted() { _ = intern(c) }
        var words: [[Int32]] = []
        var freqs: [Int] = []
        for w in sortedWords {
            let scalars = Array(w.unicodeScalars)
            words.append(scalars.enumerated().map { i, s in intern(i == scalars.count - 1 ? String(s) + options.endOfWord : String(s)) })
            freqs.append(wordCounts[w] ?? 0)
        }
        let alphabet = units.count
        // Pair statistics.
        var pairCount: [UInt64: Int] = [:]
        var pairWords: [UInt64: Set<Int32>] = [:]
        func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }
        for (wi, w) in words.enumerated() where w.count > 1 {
            for p in 0..<(w.count - 1) {
                let k = key(w[p], w[p + 1])
                pairCount[k, default: 0] += freqs[wi]
                pairWords[k, default: []].insert(Int32(wi))
            }
        }
        var heap = PairHeap()
        for (k, c) in pairCount { heap.push(k, c) }
        var merges: [(String, String)] = []
        while units.count < options.vocabularySize, let (k, c) = heap.pop() {
            guard pairCount[k] == c else {  // stale entry: re-queue with the current count
                if let now = pairCount[k], now > 0, now < c { heap.push(k, now) }
                continue
            }
            if c < options.minFrequency { break }
            let a = Int32(truncatingIfNeeded: k >> 32), b = Int32(truncatingIfNeeded: k & 0xFFFF_FFFF)
            let merged = units[Int(a)] + units[Int(b)]
            let newID = intern(merged)
            merges.append((units[Int(a)], units[Int(b)]))
            var increased = Set<UInt64>()
            var deltas: [(UInt64, Int)] = []
            for wi in (pairWords[k] ?? []) {
                let w = words[Int(wi)]
                let f = freqs[Int(wi)]
                var out: [Int32] = []
                out.reserveCapacity(w.count)
                var p = 0
                while p < w.count {
                    if p + 1 < w.count && w[p] == a && w[p + 1] == b { out.append(newID); p += 2 } else { out.append(w[p]); p += 1 }
                }
                if out.count == w.count { continue }  // the pair is no longer in this word
                words[Int(wi)] = out
                // Apply only the difference between the word's old and new pair counts.
                deltas.removeAll(keepingCapacity: true)
                func add(_ pk: UInt64, _ d: Int) {
                    if let i = deltas.firstIndex(where: { $0.0 == pk }) { deltas[i].1 += d } else { deltas.append((pk, d)) }
                }
                for q in 0..<(w.count - 1) { add(key(w[q], w[q + 1]), -1) }
                if out.count > 1 { for q in 0..<(out.count - 1) { add(key(out[q], out[q + 1]), 1) } }
                for (pk, d) in deltas where d != 0 {
                    pairCount[pk, default: 0] += d * f
                    if d > 0 {
                        pairWords[pk, default: []].insert(wi)
                        increased.insert(pk)
                    }
                }
            }
            pairCount[k] = nil
            pairWords[k] = nil
            for pk in increased { if let n = pairCount[pk], n > 0 { heap.push(pk, n) } }
        }
        let model = try BPEModel(units: Array(units.prefix(alphabet)), merges: merges, endOfWord: options.endOfWord)
        let summary = Summary(words: freqs.reduce(0, +), distinctWords: words.count, alphabet: alphabet,
                              merges: merges.count, seconds: System.now() - started)
        return (model, summary)
    }
}

/// Max-heap of (count, pair); equal counts go to the smaller pair of unit ids (left, then
/// right). Unit ids are deterministic: the alphabet is sorted and merges append in order.
struct PairHeap {
    private var items: [(key: UInt64, count: Int)] = []

    @inline(__always)
    private func before(_ x: (key: UInt64, count: Int), _ y: (key: UInt64, count: Int)) -> Bool {
        x.count != y.count ? x.count > y.count : x.key < y.key
    }

    mutating func push(_ key: UInt64, _ count: Int) {
        items.append((key, count))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if before(items[i], items[parent]) { items.swapAt(i, parent); i = parent } else { break }
        }
    }

    mutating func pop() -> (UInt64, Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, before(items[l], items[m]) { m = l }
                if r < items.count, before(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return (top.key, top.count)
    }
}
