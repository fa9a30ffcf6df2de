#if canImport(Glibc)
import Glibc
#endif

/// A value and the lock that owns it: the value is reachable only inside `withLock`. A
/// reference, so escaping closures and other threads can hold it.
///
/// Built on a pthread mutex rather than `Synchronization.Mutex`: on Linux the latter waits on a
/// raw futex that ThreadSanitizer cannot see, so every access it protects is reported as a race;
/// pthread mutexes are intercepted, and tools/sanitize.sh runs the library under TSan in CI.
package final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var stored: Value

    package init(_ value: Value) {
        stored = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&stored)
    }

    /// A copy of the value.
    package var value: Value { withLock { $0 } }
}
