import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Runs a job on a thread of its own that the kernel schedules only when a core would otherwise
/// be idle (Linux `SCHED_IDLE`; elsewhere, or if the kernel refuses, an ordinary thread).
///
/// For work that must not slow a command's main threads (`BackgroundFileHash`). A thread under
/// `SCHED_IDLE` may wait as long as other threads keep every core busy, so a job whose result is
/// needed must let the waiting thread take over (as `BackgroundFileHash` does). The thread is not
/// pooled, so its policy dies with it.
package final class IdleThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    /// Starts `job` at once on the new thread.
    package init(_ job: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Start(job: job, owner: self))
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
            IdleThread.lowerPriority()
            start.job()
            start.owner.done.signal()
            return nil
        }, box.toOpaque())
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread: run the job here rather than lose it.
            box.release()
            job()
            done.signal()
        }
    }

    /// Blocks until the job has finished (any number of times, from any thread).
    package func wait() {
        done.wait()
        done.signal()
    }

    private final class Start {
        let job: @Sendable () -> Void
        let owner: IdleThread
        init(job: @escaping @Sendable () -> Void, owner: IdleThread) { self.job = job; self.owner = owner }
    }

    /// Puts the calling thread under `SCHED_IDLE`; false where that does not exist or is refused.
    @discardableResult
    package static func lowerPriority() -> Bool {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = 0
        // SCHED_IDLE is 5 in <linux/sched.h>; Swift's Glibc module does not export the macro.
        return sched_setscheduler(0, 5, &parameters) == 0
        #else
        return false
        #endif
    }
}
