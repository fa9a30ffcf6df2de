
/// One report from long-running library work.
///
/// The library never writes to the terminal. Work that takes long (training, import, loading,
/// evaluation, adaptation) takes an optional ``ProgressHandler`` and calls it with these
/// events; the caller decides what to show: the `wordshift` CLI draws a progress bar on
/// standard error, a server logs, a test collects them.
public struct ProgressEvent: Sendable, Equatable {
    /// What an event reports.
    public enum Kind: Sendable, Equatable {
        /// A stage starts. `total` is set when the amount of work is known.
        case begin
        /// `done` units of the current stage are complete (monotone within a stage).
        case advance
        /// The stage is over; `message` may hold a one-line summary.
        case end
        /// A line of information that is not a progress count (an iteration's cost, a choice
        /// the library made, a warning).
        case log
    }

    /// What this event reports.
    public var kind: Kind
    /// Short name of the stage, e.g. "co-occurrence" or "iter 3/15".
    public var stage: String
    /// Units done so far (for `.advance` and `.end`).
    public var done: Double
    /// Units in the whole stage, when known.
    public var total: Double?
    /// Unit name with its leading space, e.g. " tokens" (may be empty).
    public var unit: String
    /// The log line (`.log`), the stage's closing line (`.end`; nil when the stage has nothing
    /// to add), or a short note on the current state (`.advance`, e.g. "12k types").
    public var message: String?

    /// An event; `done`, `total`, `unit` and `message` are optional depending on `kind`.
    public init(kind: Kind, stage: String, done: Double = 0, total: Double? = nil, unit: String = "",
                message: String? = nil) {
        self.kind = kind
        self.stage = stage
        self.done = done
        self.total = total
        self.unit = unit
        self.message = message
    }
}

/// Receives ``ProgressEvent``s. It may be called from any thread, but never from two threads
/// at once for the same reporter.
public typealias ProgressHandler = @Sendable (ProgressEvent) -> Void

/// The library side of progress: wraps an optional handler, serialises calls from worker
/// threads and throttles `.advance` events to about ten a second. A nil handler makes every
/// call a cheap no-op.
package final class ProgressReporter: Sendable {
    private struct State {
        var stage = ""
        var total: Double?
        var unit = ""
        var done = 0.0
        var lastSent = -1.0
        var note: String?
    }

    private let handler: ProgressHandler?
    private let state = Locked(State())
    /// Minimum seconds between two `.advance` events.
    private let interval: Double

    package init(_ handler: ProgressHandler?, interval: Double = 0.1) {
        self.handler = handler
        self.interval = interval
    }

    package var isActive: Bool { handler != nil }

    package func begin(_ stage: String, total: Double? = nil, unit: String = "") {
        guard let handler else { return }
        state.withLock { s in
            s = State(stage: stage, total: total, unit: unit, done: 0, lastSent: System.now(), note: nil)
            handler(ProgressEvent(kind: .begin, stage: stage, total: total, unit: unit))
        }
    }

    /// Sets the absolute amount done in the current stage and, when given, a new estimate of
    /// the total and a note sent with the following `.advance` events.
    package func update(_ done: Double, total: Double? = nil, note: String? = nil) {
        guard let handler else { return }
        state.withLock { s in
            s.done = done
            if let total { s.total = total }
            if let note { s.note = note }
            send(&s, handler)
        }
    }

    /// Adds `amount` to the amount done in the current stage (atomically: threads may share a stage).
    package func advance(by amount: Double) {
        guard let handler else { return }
        state.withLock { s in
            s.done += amount
            send(&s, handler)
        }
    }

    private func send(_ s: inout State, _ handler: ProgressHandler) {
        let t = System.now()
        guard t - s.lastSent >= interval else { return }
        s.lastSent = t
        handler(ProgressEvent(kind: .advance, stage: s.stage, done: s.done, total: s.total, unit: s.unit, message: s.note))
    }

    package func end(_ message: String? = nil) {
        guard let handler else { return }
        state.withLock { s in
            let done = s.total ?? s.done
            handler(ProgressEvent(kind: .end, stage: s.stage, done: done, total: s.total, unit: s.unit, message: message))
        }
    }

    package func log(_ message: String) {
        guard let handler else { return }
        state.withLock { s in
            handler(ProgressEvent(kind: .log, stage: s.stage, message: message))
        }
    }
}
