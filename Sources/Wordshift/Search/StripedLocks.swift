#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of mutexes that own the link lists of a graph under construction: row `i`'s
/// links belong to mutex `i % stripes`. A thread holds at most one of them at a time, so no
/// two threads can wait on each other.
final class StripedLocks: @unchecked Sendable {
    private let mutexes: UnsafeMutablePointer<pthread_mutex_t>
    private let stripes: Int

    init(stripes: Int) {
        self.stripes = max(1, stripes)
        mutexes = .allocate(capacity: self.stripes)
        for i in 0..<self.stripes {
            (mutexes + i).initialize(to: pthread_mutex_t())
            pthread_mutex_init(mutexes + i, nil)
        }
    }

    deinit {
        for i in 0..<stripes { pthread_mutex_destroy(mutexes + i) }
        mutexes.deinitialize(count: stripes)
        mutexes.deallocate()
    }

    /// Runs `body` holding the mutex that owns `row`.
    @inline(__always)
    func withLock<R>(_ row: Int, _ body: () -> R) -> R {
        let mu = mutexes + row % stripes
        pthread_mutex_lock(mu)
        defer { pthread_mutex_unlock(mu) }
        return body()
    }
}
