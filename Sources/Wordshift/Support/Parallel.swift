import Dispatch
import Synchronization

/// A raw pointer that may cross threads. Each user promises that concurrent writers touch
/// disjoint ranges and that nobody reads a range while another thread writes it.
package struct SharedPointer<T>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<T>
    package init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    @inline(__always) package subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// How many threads a stage uses and where its limits are.
public enum Parallel {
    /// Number of worker threads to use when the caller does not say: all cores.
    public static var defaultThreads: Int { max(1, System.coreCount) }

    /// Most worker threads any stage uses: four per core. More only cost memory (GloVe's
    /// strata grow with the square of the thread count) and contention.
    public static var maximumThreads: Int { 4 * max(1, System.coreCount) }

    /// `requested` limited to 1...`maximumThreads`.
    public static func clampThreads(_ requested: Int) -> Int { min(max(1, requested), maximumThreads) }

    /// Runs `body(worker)` for worker 0..<threads concurrently and waits for all.
    package static func run(threads: Int, _ body: (Int) -> Void) {
        if threads <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escaping in
            let box = UncheckedBox(escaping)
            DispatchQueue.concurrentPerform(iterations: threads) { box.value($0) }
        }
    }

    /// Splits 0..<count into `threads` contiguous ranges and runs them concurrently.
    package static func forEachRange(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
        let t = max(1, min(threads, count))
        run(threads: t) { w in
            let lo = count * w / t, hi = count * (w + 1) / t
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Runs `body` over consecutive chunks of `chunk` indices of 0..<count, each taken by
    /// whichever of `threads` workers is free: items of uneven cost (graph searches) keep every
    /// worker busy to the end, where fixed ranges leave one waiting for the other.
    package static func forEachChunk(count: Int, threads: Int, chunk: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let size = max(1, chunk)
        let t = max(1, min(threads, (count - 1) / size + 1))
        if t == 1 { body(0..<count); return }
        let next = Atomic<Int>(0)
        run(threads: t) { _ in
            while true {
                let lo = next.add(size, ordering: .relaxed).oldValue
                if lo >= count { break }
                body(lo..<(lo + min(size, count - lo)))
            }
        }
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
