#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Wordshift

/// The CLI's only way to standard error. Standard output is flushed first, so that results,
/// messages and progress come out in the order they were produced even when both streams go
/// to one pipe (`wordshift demo 2>&1 | cat`).
enum Console {
    private static let lock = Mutex(())

    static func error(_ text: String) {
        lock.withLock { _ in
            fflush(nil)  // every output stream: stdout holds what `print` buffered
            var t = text
            t.withUTF8 { buf in
                var offset = 0
                while offset < buf.count {
                    let n = write(2, buf.baseAddress.map { $0 + offset }, buf.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
    }

    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}

/// Draws the library's ``ProgressEvent``s on standard error: on a terminal a one-line bar with
/// rate and ETA for each stage, replaced by the stage's closing line if it has one; in a pipe or
/// a log only the lines (log messages and closing lines), so logs stay clean.
final class ProgressRenderer: Sendable {
    private struct State {
        var stage = ""
        var unit = ""
        var total: Double?
        var done = 0.0
        var note: String?
        var started = 0.0
        var drawn = false
    }

    private let terminal: Bool
    private let state = Mutex(State())

    init(terminal: Bool = Console.standardErrorIsTerminal) { self.terminal = terminal }

    /// The handler to pass to the library: nil (no progress work at all) when `quiet`.
    static func handler(quiet: Bool) -> ProgressHandler? {
        quiet ? nil : ProgressRenderer().handle
    }

    var handle: ProgressHandler { { [self] event in self.render(event) } }

    func render(_ event: ProgressEvent) {
        state.withLock { s in
            switch event.kind {
            case .begin:
                s = State(stage: event.stage, unit: event.unit, total: event.total, done: 0, note: nil,
                          started: System.now(), drawn: false)
                if terminal { draw(&s) }
            case .advance:
                s.done = event.done
                s.total = event.total
                if let note = event.message { s.note = note }
                if terminal { draw(&s) }
            case .end:
                s.done = event.done
                if let message = event.message {
                    Console.error((terminal && s.drawn ? "\r\u{1B}[2K" : "") + "\(event.stage)  \(message)\n")
                } else if terminal {
                    draw(&s)
                    Console.error("\n")
                }
                s.drawn = false
            case .log:
                Console.error((terminal && s.drawn ? "\r\u{1B}[2K" : "") + (event.message ?? "") + "\n")
                s.drawn = false
            }
        }
    }

    private func draw(_ s: inout State) {
        Console.error(Self.line(s, now: System.now()))
        s.drawn = true
    }

    private static func line(_ s: State, now: Double) -> String {
        let elapsed = max(now - s.started, 1e-9)
        let current = s.done, unit = s.unit
        let rate = current / elapsed
        var line = "\r\u{1B}[2K\(s.stage) "
        if let total = s.total, total > 0 {
            let fraction = min(1, current / total)
            let width = 28
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] "
            line += Format.percent(fraction) + " "
            let eta = rate > 0 ? (total - current) / rate : 0
            line += "\(Format.quantity(current))/\(Format.quantity(total))\(unit) "
            line += "\(Format.quantity(rate))\(unit)/s ETA \(Format.duration(eta))"
        } else {
            line += "\(Format.quantity(current))\(unit) \(Format.quantity(rate))\(unit)/s \(Format.duration(elapsed))"
        }
        if let note = s.note, !note.isEmpty { line += " " + note }
        return line
    }
}
