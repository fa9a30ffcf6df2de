import CKernels
import Foundation

/// Builds an `HNSWGraph` by inserting rows one after another (Malkov & Yashunin 2016,
/// algorithms 1 and 4: layered best-first search, neighbours chosen by the diversity
/// heuristic). With several threads, rows are inserted concurrently: every row's links are
/// owned by a `StripedLocks` mutex, the entry point by a `Locked` value. One thread inserts in
/// row order, so the graph depends only on the vectors, the parameters and the seed.
enum HNSWBuilder {
    /// The layer of every row, drawn from `seed`: ⌊−ln(u)/ln(m)⌋, capped at `levelLimit`.
    static func levels(count: Int, m: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        let scale = 1 / log(Double(max(2, m)))
        return (0..<count).map { _ in
            let u = max(Double(rng.next() >> 11) * 0x1p-53, 1e-300)
            return UInt8(min(Double(HNSWGraph.levelLimit), (-log(u) * scale).rounded(.down)))
        }
    }

    static func build(units: UnsafePointer<Float>, count: Int, dimension: Int, m: Int, efConstruction: Int, seed: UInt64,
                      threads: Int, progress: ProgressReporter) -> HNSWGraph {
        let levels = levels(count: count, m: m, seed: seed)
        let graph = HNSWGraph(levels: levels, m: m, entryPoint: 0, maxLevel: Int(levels.first ?? 0))
        guard count > 1 else { return graph }
        let locks = StripedLocks(stripes: 1 << 14)
        // The entry point and top layer, owned by their lock. An insertion that raises the top
        // layer holds it until its links are in place: no other insertion may start from a
        // half-linked entry point.
        let entry = Locked(EntryPoint(row: 0, top: Int(levels[0])))
        let next = Locked(1)
        let chunk = 64
        let shared = SharedUnits(units)
        progress.begin("index", total: Double(count), unit: " rows")
        Parallel.run(threads: max(1, threads)) { _ in
            let scratch = HNSWScratch(count: count, ef: efConstruction, maxDegree: graph.m0)
            let inserter = Inserter(graph: graph, locks: locks, units: shared.base, dimension: dimension,
                                    efConstruction: efConstruction, scratch: scratch)
            while true {
                let start = next.withLock { n -> Int in let s = n; n = min(count, n + chunk); return s }
                guard start < count else { break }
                for row in start..<min(count, start + chunk) { inserter.insert(row, entry: entry) }
                progress.update(Double(min(count, start + chunk)))
            }
        }
        let final = entry.withLock { $0 }
        graph.entryPoint = final.row
        graph.maxLevel = final.top
        progress.end()
        return graph
    }
}

/// Where insertions start: the row on the top layer.
struct EntryPoint {
    var row: Int32
    var top: Int
}

/// The vectors a build reads (never written while building).
private struct SharedUnits: @unchecked Sendable {
    let base: UnsafePointer<Float>
    init(_ base: UnsafePointer<Float>) { self.base = base }
}

/// Links read during construction: copied out under the lock that owns them.
private struct LockedLinks: LinkReader {
    let graph: HNSWGraph
    let locks: StripedLocks
    let copy: UnsafeMutablePointer<Int32>

    @inline(__always)
    func read(_ row: Int, _ level: Int) -> UnsafePointer<Int32> {
        locks.withLock(row) {
            let b = graph.block(row, level)
            copy.update(from: b, count: Int(b[0]) + 1)
        }
        return UnsafePointer(copy)
    }
}

/// One worker's insertion state.
private final class Inserter {
    let graph: HNSWGraph
    let locks: StripedLocks
    let units: UnsafePointer<Float>
    let dimension: Int
    let efConstruction: Int
    let scratch: HNSWScratch
    var found: [SearchHeap.Entry] = []
    var chosen: [SearchHeap.Entry] = []
    var pool: [SearchHeap.Entry] = []

    init(graph: HNSWGraph, locks: StripedLocks, units: UnsafePointer<Float>, dimension: Int, efConstruction: Int,
         scratch: HNSWScratch) {
        self.graph = graph
        self.locks = locks
        self.units = units
        self.dimension = dimension
        self.efConstruction = efConstruction
        self.scratch = scratch
        found.reserveCapacity(efConstruction + 1)
        chosen.reserveCapacity(graph.m0 + 1)
        pool.reserveCapacity(graph.m0 + 1)
    }

    @inline(__always) func vector(_ row: Int32) -> UnsafePointer<Float> { units + Int(row) * dimension }

    func insert(_ row: Int, entry: Locked<EntryPoint>) {
        let level = Int(graph.levels[row])
        let start = entry.withLock { $0 }
        guard level > start.top else { return link(row, level: level, from: start) }
        entry.withLock { current in
            link(row, level: level, from: current)  // re-read under the lock: another row may have raised it
            if level > current.top { current = EntryPoint(row: Int32(row), top: level) }
        }
    }

    /// Links `row` (top layer `level`) into the graph, descending from `start`.
    func link(_ row: Int, level: Int, from start: EntryPoint) {
        let top = start.top
        let links = LockedLinks(graph: graph, locks: locks, copy: scratch.linkCopy)
        let q = vector(Int32(row))
        var cur = start.row
        var curScore = ckernels_dot_f32(q, vector(cur), dimension)
        var l = top
        while l > level {
            (cur, curScore) = graph.greedy(links, query: q, units: units, dimension: dimension, entry: cur, score: curScore, level: l)
            l -= 1
        }
        l = min(level, top)
        while l >= 0 {
            graph.searchLayer(links, query: q, units: units, dimension: dimension, entry: cur, score: curScore,
                              ef: efConstruction, level: l, scratch: scratch)
            // Best first.
            found.removeAll(keepingCapacity: true)
            var results = scratch.results
            while !results.isEmpty {
                let e = results.pop()
                if Int(e.id) != row { found.append(SearchHeap.Entry(key: -e.key, id: e.id)) }
            }
            found.reverse()
            guard let best = found.first else { l -= 1; continue }
            cur = best.id
            curScore = best.key
            select(from: found, limit: graph.m)
            let mine = chosen
            locks.withLock(row) {
                let b = graph.block(row, l)
                b[0] = Int32(mine.count)
                for (j, e) in mine.enumerated() { b[j + 1] = e.id }
            }
            for e in mine { connect(Int(e.id), to: Int32(row), score: e.key, level: l) }
            l -= 1
        }
    }

    /// The diversity heuristic: walks `candidates` best first and keeps one unless it is closer
    /// to a row already kept than to the base row; stops at `limit`. Result in `chosen`.
    func select(from candidates: [SearchHeap.Entry], limit: Int) {
        chosen.removeAll(keepingCapacity: true)
        if candidates.count <= limit {
            chosen.append(contentsOf: candidates)
            return
        }
        for c in candidates {
            if chosen.count >= limit { break }
            let v = vector(c.id)
            var keep = true
            for k in chosen where ckernels_dot_f32(v, vector(k.id), dimension) > c.key {
                keep = false
                break
            }
            if keep { chosen.append(c) }
        }
    }

    /// Adds `newRow` to the links of `row` on `level`, pruning them with the heuristic when full.
    func connect(_ row: Int, to newRow: Int32, score: Float, level: Int) {
        let limit = level == 0 ? graph.m0 : graph.m
        locks.withLock(row) {
            let b = graph.block(row, level)
            let degree = Int(b[0])
            if degree < limit {
                b[degree + 1] = newRow
                b[0] = Int32(degree + 1)
                return
            }
            pool.removeAll(keepingCapacity: true)
            let base = vector(Int32(row))
            pool.append(SearchHeap.Entry(key: score, id: newRow))
            for j in 1...degree { pool.append(SearchHeap.Entry(key: ckernels_dot_f32(base, vector(b[j]), dimension), id: b[j])) }
            pool.sort { $0.key > $1.key || ($0.key == $1.key && $0.id < $1.id) }
            select(from: pool, limit: limit)
            b[0] = Int32(chosen.count)
            for (j, e) in chosen.enumerated() { b[j + 1] = e.id }
        }
    }
}
