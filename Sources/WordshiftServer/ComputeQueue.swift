import Dispatch
import Synchronization
import Wordshift

/// Where the server's heavy queries run: one worker thread whose searches each use every core
/// (the library's parallel scans and matrix products), so the event loops stay free to accept
/// and parse requests, and concurrent searches never fight over the cores.
///
/// Nearest-neighbour requests that arrive while the worker is busy are answered together: the
/// worker takes every waiting query of a store (up to `maxBatch`) and runs one batched search
/// (`nearestBatch`, a matrix product), which costs far less per query than one scan each. A
/// query that arrives alone takes the single-query path (int8 first pass, exact rescoring).
/// Both paths give exactly the same neighbours.
final class ComputeQueue: Sendable {
    private struct NearestJob: @unchecked Sendable {
        let index: EmbeddingIndex
        let unit: [Float]
        let excluding: Set<Int>
        let k: Int
        let done: CheckedContinuation<[Neighbor], Never>
    }

    private struct State {
        var nearest: [NearestJob] = []
        var running = false
    }

    private let state = Mutex(State())
    private let worker = DispatchQueue(label: "wordshift.server.compute")
    let maxBatch: Int

    init(maxBatch: Int = 256) {
        self.maxBatch = maxBatch
    }

    /// Runs `work` on the compute worker and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            worker.async {
                do { done.resume(returning: try work()) } catch { done.resume(throwing: error) }
            }
        }
    }

    /// The `k` nearest rows of `index` to `unit`, skipping `excluding`, batched with the
    /// nearest-neighbour queries that wait at the same time.
    func nearest(index: EmbeddingIndex, unit: [Float], excluding: Set<Int>, k: Int) async -> [Neighbor] {
        await withCheckedContinuation { done in
            let job = NearestJob(index: index, unit: unit, excluding: excluding, k: k, done: done)
            let start = state.withLock { s -> Bool in
                s.nearest.append(job)
                if s.running { return false }
                s.running = true
                return true
            }
            if start { worker.async { self.drain() } }
        }
    }

    /// Answers waiting nearest-neighbour jobs until none is left.
    private func drain() {
        while true {
            let jobs = state.withLock { s -> [NearestJob] in
                guard !s.nearest.isEmpty else {
                    s.running = false
                    return []
                }
                // Oldest first; all of one store (the first job's), at most maxBatch.
                let first = ObjectIdentifier(s.nearest[0].index)
                var taken: [NearestJob] = [], kept: [NearestJob] = []
                for j in s.nearest {
                    if taken.count < maxBatch && ObjectIdentifier(j.index) == first { taken.append(j) } else { kept.append(j) }
                }
                s.nearest = kept
                return taken
            }
            if jobs.isEmpty { return }
            let index = jobs[0].index
            if jobs.count == 1 {
                let j = jobs[0]
                j.done.resume(returning: index.nearest(to: j.unit, k: j.k, excluding: j.excluding))
                continue
            }
            let k = jobs.map(\.k).max() ?? 1
            let found = index.nearestBatch(queries: jobs.flatMap(\.unit), k: k, excluding: jobs.map(\.excluding))
            for (j, f) in zip(jobs, found) { j.done.resume(returning: Array(f.prefix(j.k))) }
        }
    }
}
