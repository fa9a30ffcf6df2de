import Dispatch
import Synchronization
import Wordshift

/// Where the server's heavy queries run: one worker thread whose searches each use every core
/// (the library's parallel scans and matrix products), so the event loops stay free to accept
/// and parse requests, and concurrent searches never fight over the cores.
///
/// Nearest-neighbour requests that arrive while the worker is busy are answered together: the
/// worker takes every waiting query of a store (up to `maxBatch`) and asks the library for all
/// of them at once (`WordVectors.nearest(to: [String])`). On a large store that is one pass over
/// the int8 copy for the whole group — each row read once, scored against every waiting query —
/// so a group costs little more than one query; the answers equal single-query answers.
final class ComputeQueue: Sendable {
    private struct NearestJob: Sendable {
        let store: ServedStore
        let word: String
        let k: Int
        let done: CheckedContinuation<[Neighbor], any Error>
    }

    private struct State {
        var nearest: [NearestJob] = []
        var running = false
    }

    private let state = Mutex(State())
    private let worker = DispatchQueue(label: "wordshift.server.compute")
    let maxBatch: Int

    /// `maxBatch` defaults to the largest group the library answers in one int8 pass
    /// (`EmbeddingIndex.quantizedBatchLimit`); larger groups would go through the float32
    /// matrix product, which is slower per group on a large store.
    init(maxBatch: Int = EmbeddingIndex.quantizedBatchLimit) {
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

    /// The `k` words of `store` nearest to `word` (the caller has checked that the word has a
    /// vector), batched with the nearest-neighbour queries that wait at the same time.
    func nearest(store: ServedStore, word: String, k: Int) async throws -> [Neighbor] {
        try await withCheckedThrowingContinuation { done in
            let job = NearestJob(store: store, word: word, k: k, done: done)
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
                let first = ObjectIdentifier(s.nearest[0].store)
                var taken: [NearestJob] = [], kept: [NearestJob] = []
                for j in s.nearest {
                    if taken.count < maxBatch && ObjectIdentifier(j.store) == first { taken.append(j) } else { kept.append(j) }
                }
                s.nearest = kept
                return taken
            }
            if jobs.isEmpty { return }
            let store = jobs[0].store
            let k = jobs.map(\.k).max() ?? 1
            do {
                let found = try store.answer { try store.vectors.nearest(to: jobs.map(\.word), k: k, options: store.search) }
                for (j, f) in zip(jobs, found) { j.done.resume(returning: Array(f.prefix(j.k))) }
            } catch {
                for j in jobs { j.done.resume(throwing: error) }
            }
        }
    }
}
