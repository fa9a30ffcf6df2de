import CKernels

/// The links of a hierarchical navigable small-world graph (Malkov & Yashunin 2016) over the
/// rows of an ``EmbeddingIndex``, in contiguous arrays:
///
/// - `levels[i]`: the top layer of row `i` (0 for most rows);
/// - `links0`: for every row, `m0 + 1` slots on layer 0: the degree, then the neighbour rows;
/// - `upperLinks`: for every row with `levels[i] ≥ 1`, `levels[i]` blocks of `m + 1` slots
///   (layers 1, 2, …), in row order; `upperRows` lists those rows (ascending) and
///   `upperStarts` where each one's blocks start (a row's position is found by binary search:
///   only about one row in `m` is on layer 1, and only the descent through the upper layers
///   looks there, so this costs far less than a start for every row).
///
/// A graph read from a store is checked in full before use (`validate()`): every degree and
/// every neighbour is in range, so searches index the arrays without further checks.
package final class HNSWGraph: @unchecked Sendable {
    /// Rows in the graph.
    package let count: Int
    /// Most links per row on layers ≥ 1.
    package let m: Int
    /// Most links per row on layer 0 (2m).
    package let m0: Int
    package let levels: UnsafeMutableBufferPointer<UInt8>
    package let links0: UnsafeMutableBufferPointer<Int32>
    package let upperLinks: UnsafeMutableBufferPointer<Int32>
    /// The rows with `levels[i] ≥ 1`, ascending.
    package let upperRows: UnsafeMutableBufferPointer<Int32>
    /// Where the blocks of `upperRows[k]` start in `upperLinks`.
    package let upperStarts: UnsafeMutableBufferPointer<Int>
    /// Where every search starts (a row on the top layer); written only while building, under
    /// the builder's entry lock.
    package var entryPoint: Int32
    /// The top layer.
    package var maxLevel: Int

    /// The highest layer a row may get (levels are stored as bytes; 2⁻⁴ per layer makes even
    /// layer 12 unlikely for a billion rows).
    package static let levelLimit = 32

    /// Slots on layers ≥ 1 that `levels` needs, or nil if the total overflows.
    package static func upperSlots(levels: UnsafeBufferPointer<UInt8>, m: Int) -> Int? {
        var total = 0
        for l in levels {
            let (p, o1) = Int(l).multipliedReportingOverflow(by: m + 1)
            let (s, o2) = total.addingReportingOverflow(p)
            if o1 || o2 { return nil }
            total = s
        }
        return total
    }

    /// Allocates an empty graph (every degree 0) for rows with the given `levels`, entered
    /// at `entryPoint` on layer `maxLevel`.
    package init(levels source: [UInt8], m: Int, entryPoint: Int32, maxLevel: Int) {
        count = source.count
        self.m = m
        m0 = 2 * m
        levels = .allocate(capacity: max(1, count))
        levels.initialize(repeating: 0)
        for (i, l) in source.enumerated() { levels[i] = l }
        links0 = .allocate(capacity: max(1, count * (m0 + 1)))
        if let base = links0.baseAddress { HugePages.advise(base, count: links0.count) }
        links0.initialize(repeating: 0)
        let upperCount = source.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        upperRows = .allocate(capacity: max(1, upperCount))
        upperRows.initialize(repeating: 0)
        upperStarts = .allocate(capacity: max(1, upperCount))
        upperStarts.initialize(repeating: 0)
        var total = 0, k = 0
        for i in 0..<count where source[i] > 0 {
            upperRows[k] = Int32(i)
            upperStarts[k] = total
            total += Int(source[i]) * (m + 1)
            k += 1
        }
        upperLinks = .allocate(capacity: max(1, total))
        upperLinks.initialize(repeating: 0)
        self.entryPoint = entryPoint
        self.maxLevel = maxLevel
    }

    deinit {
        levels.deallocate()
        links0.deallocate()
        upperLinks.deallocate()
        upperRows.deallocate()
        upperStarts.deallocate()
    }

    /// Bytes of the link arrays (what the store holds for the graph).
    package var byteCount: Int { count + links0.count * 4 + (upperLinks.count > 1 ? upperLinks.count * 4 : 0) }

    /// The slot block of `row` on `level`: `[degree, neighbour…]`.
    @inline(__always)
    package func block(_ row: Int, _ level: Int) -> UnsafeMutablePointer<Int32> {
        if level == 0 { return links0.baseAddress.unsafelyUnwrapped + row * (m0 + 1) }
        return upperLinks.baseAddress.unsafelyUnwrapped + upperStart(row) + (level - 1) * (m + 1)
    }

    /// Where the upper-layer blocks of `row` start in `upperLinks` (0 for a row on layer 0 only,
    /// which has none: callers ask only for rows on the layer they read).
    @inline(__always)
    private func upperStart(_ row: Int) -> Int {
        var lo = 0, hi = upperRows.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if Int(upperRows[mid]) < row { lo = mid + 1 } else { hi = mid }
        }
        return lo < upperRows.count && Int(upperRows[lo]) == row ? upperStarts[lo] : 0
    }

    /// Checks what a reader cannot trust: degrees within bounds, neighbours that exist on the
    /// layer they are linked on, and an entry point on the top layer. Returns the first
    /// problem found, or nil.
    package func validate() -> String? {
        guard count > 0 else { return "the graph has no rows" }
        guard entryPoint >= 0, Int(entryPoint) < count, Int(levels[Int(entryPoint)]) == maxLevel else {
            return "the entry point \(entryPoint) is not a row on the top layer \(maxLevel)"
        }
        for i in 0..<count {
            let top = Int(levels[i])
            guard top <= maxLevel else { return "row \(i) is on layer \(top), above the top layer \(maxLevel)" }
            for level in 0...top {
                let b = block(i, level)
                let degree = Int(b[0])
                guard degree >= 0, degree <= (level == 0 ? m0 : m) else {
                    return "row \(i) has \(degree) links on layer \(level)"
                }
                for j in 1...max(1, degree) where degree > 0 {
                    let n = Int(b[j])
                    guard n >= 0, n < count, Int(levels[n]) >= level else {
                        return "row \(i) links to \(n) on layer \(level), which is not a row there"
                    }
                }
            }
        }
        return nil
    }

    /// Greedy descent on one layer: moves from `entry` to a neighbour while one is closer.
    @inline(__always)
    func greedy<Links: LinkReader>(_ links: Links, query: UnsafePointer<Float>, units: UnsafePointer<Float>, dimension: Int,
                entry: Int32, score: Float, level: Int) -> (Int32, Float) {
        var best = entry, bestScore = score
        var changed = true
        while changed {
            changed = false
            let b = links.read(Int(best), level)
            let degree = Int(b[0])
            var j = 1
            while j <= degree {
                let n = b[j]
                let s = ckernels_dot_f32(query, units + Int(n) * dimension, dimension)
                if s > bestScore { bestScore = s; best = n; changed = true }
                j += 1
            }
        }
        return (best, bestScore)
    }

    /// Best-first search of one layer from `entry`, keeping the `ef` best rows in
    /// `scratch.results` (keyed by negated similarity: the worst on top).
    @inline(__always)
    func searchLayer<Links: LinkReader>(_ links: Links, query: UnsafePointer<Float>, units: UnsafePointer<Float>, dimension: Int,
                                        entry: Int32, score: Float, ef: Int, level: Int, scratch: HNSWScratch) {
        // The heaps live in locals for the loop (value types: no exclusivity checks) and go
        // back to the scratch at the end, with any buffer they grew into.
        var candidates = scratch.candidates, results = scratch.results
        defer {
            scratch.candidates = candidates
            scratch.results = results
        }
        let stamps = scratch.visited.stamps
        let mark = scratch.visited.next()
        candidates.removeAll()
        results.removeAll()
        stamps[Int(entry)] = mark
        candidates.push(score, entry)
        results.push(-score, entry)
        var worst = score
        let pending = scratch.pending, scores = scratch.scores
        while !candidates.isEmpty {
            let c = candidates.top
            if results.count >= ef, c.key < worst { break }
            candidates.pop()
            let b = links.read(Int(c.id), level)
            let degree = Int(b[0])
            // The neighbours not reached yet, marked, then all their scores in one kernel call.
            var fresh = 0
            var j = 1
            while j <= degree {
                let n = b[j]
                j += 1
                if stamps[Int(n)] == mark { continue }
                stamps[Int(n)] = mark
                pending[fresh] = n
                fresh += 1
            }
            if fresh == 0 { continue }
            ckernels_dot_f32_rows(query, units, dimension, pending, fresh, scores)
            var t = 0
            while t < fresh {
                let s = scores[t], n = pending[t]
                t += 1
                if results.count < ef || s > worst {
                    candidates.push(s, n)
                    results.push(-s, n)
                    if results.count > ef { results.pop() }
                    worst = -results.top.key
                }
            }
        }
    }

    /// The `ef` (at least `k`) best rows for the unit `query`, found from the entry point
    /// down; the caller takes them from `scratch.results`.
    func search(query: UnsafePointer<Float>, units: UnsafePointer<Float>, dimension: Int, ef: Int, scratch: HNSWScratch) {
        let entry = entryPoint
        var (cur, curScore) = (entry, ckernels_dot_f32(query, units + Int(entry) * dimension, dimension))
        var level = maxLevel
        while level > 0 {
            (cur, curScore) = greedy(FrozenLinks(graph: self), query: query, units: units, dimension: dimension, entry: cur, score: curScore, level: level)
            level -= 1
        }
        searchLayer(FrozenLinks(graph: self), query: query, units: units, dimension: dimension, entry: cur, score: curScore,
                    ef: ef, level: 0, scratch: scratch)
    }
}

/// How a search reads a row's links: straight from a finished graph, or (while the graph is
/// being built) copied under the lock that owns them.
protocol LinkReader {
    /// `[degree, neighbour…]` of `row` on `level`, valid until the next call.
    func read(_ row: Int, _ level: Int) -> UnsafePointer<Int32>
}

/// Links of a graph nobody changes any more.
struct FrozenLinks: LinkReader {
    let graph: HNSWGraph
    @inline(__always) func read(_ row: Int, _ level: Int) -> UnsafePointer<Int32> { UnsafePointer(graph.block(row, level)) }
}
