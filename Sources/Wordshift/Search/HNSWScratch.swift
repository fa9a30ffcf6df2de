/// Per-search working memory: the visited stamps and the two heaps. A search borrows one from
/// its index's pool and gives it back, so queries allocate nothing once the pool is warm.
final class HNSWScratch {
    let visited: VisitedSet
    var candidates: SearchHeap
    var results: SearchHeap

    /// Room for one row's links, for reads that copy them under a lock.
    let linkCopy: UnsafeMutablePointer<Int32>
    /// One row's neighbours that a search has not reached yet, and their scores.
    let pending: UnsafeMutablePointer<Int32>
    let scores: UnsafeMutablePointer<Float>

    init(count: Int, ef: Int, maxDegree: Int) {
        linkCopy = .allocate(capacity: maxDegree + 1)
        linkCopy.initialize(repeating: 0, count: maxDegree + 1)
        pending = .allocate(capacity: maxDegree + 1)
        pending.initialize(repeating: 0, count: maxDegree + 1)
        scores = .allocate(capacity: maxDegree + 1)
        scores.initialize(repeating: 0, count: maxDegree + 1)
        visited = VisitedSet(count: count)
        candidates = SearchHeap(capacity: 4 * ef)
        results = SearchHeap(capacity: ef + 1)
    }

    deinit {
        linkCopy.deallocate()
        pending.deallocate()
        scores.deallocate()
        candidates.deallocate()
        results.deallocate()
    }
}
