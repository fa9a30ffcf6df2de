import Synchronization

/// A value and the lock that owns it, as a reference that escaping closures and other threads
/// can hold (`Synchronization.Mutex` itself cannot be captured by an escaping closure). The
/// value is reachable only inside `withLock`.
package final class Locked<Value: Sendable>: Sendable {
    private let mutex: Synchronization.Mutex<Value>

    package init(_ value: Value) { mutex = Synchronization.Mutex(value) }

    /// Runs `body` with the value, holding the lock.
    package func withLock<R: Sendable>(_ body: (inout Value) throws -> R) rethrows -> R {
        try mutex.withLock { value in try body(&value) }
    }

    /// A copy of the value.
    package var value: Value { withLock { $0 } }
}
