#if canImport(Glibc)
import Glibc
#endif

/// What a connection does when another process holds the lock it needs: sleep and retry
/// (1 ms, doubling up to 50 ms) until `timeout` seconds have passed since the wait began,
/// then let SQLite report SQLITE_BUSY. One instance per connection; SQLite calls it on the
/// connection's thread only.
final class BusyWait {
    let path: String
    let timeout: Double
    /// Off while a caller wants a busy lock to fail at once (`withoutWaiting`).
    var enabled = true
    private var started = 0.0

    init(path: String, timeout: Double) {
        self.path = path
        self.timeout = timeout
    }

    /// SQLite's busy-handler contract: nonzero to retry, zero to give up.
    func shouldRetry(attempt: Int32) -> Int32 {
        guard enabled else { return 0 }
        let now = System.now()
        if attempt == 0 {
            started = now
            TestHooks.mark(.waitingForLock)
        }
        if now - started >= timeout { return 0 }
        let pause = min(50_000, 1_000 << min(Int(attempt), 6))
        usleep(UInt32(pause))
        return 1
    }
}

/// The C callback SQLite calls; `context` is the connection's `BusyWait`.
let busyHandler: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32 = { context, attempt in
    guard let context else { return 0 }
    return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().shouldRetry(attempt: attempt)
}
