import Dispatch

/// Runs jobs one after another on a background thread, at most `depth` queued, so that a
/// producer (parsing) and a consumer (writing) overlap. The first error thrown by a job is
/// kept; later jobs are skipped and `rethrow()` / `drain()` report it.
package final class BackgroundWorker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "wordshift.background-worker")
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    /// The first error a job threw, owned by its lock.
    private let failure = Locked<(any Error)?>(nil)

    package init(depth: Int = 2) { slots = DispatchSemaphore(value: depth) }

    /// Queues `job`, blocking while `depth` jobs are already waiting.
    package func submit(_ job: @escaping @Sendable () throws -> Void) throws {
        try rethrow()
        slots.wait()
        queue.async(group: group) { [self] in
            defer { slots.signal() }
            if currentFailure() != nil { return }
            do { try job() } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
    }

    /// Waits for every queued job, then rethrows the first failure.
    package func drain() throws {
        group.wait()
        try rethrow()
    }

    package func rethrow() throws { if let e = currentFailure() { throw e } }

    private func currentFailure() -> Error? { failure.withLock { $0 } }
}
