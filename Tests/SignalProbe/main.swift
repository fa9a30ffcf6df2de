#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Wordshift

// wordshift-signal-probe DIR FILES CHURN_THREADS
// Creates FILES files in DIR and registers each as a temporary file; starts CHURN_THREADS threads
// that register and unregister other paths without pause (so the table changes while a signal
// arrives); creates DIR/ready; then waits to be killed. The signal tests check that every
// registered file is gone and that the process died of the signal it was sent.

let args = CommandLine.arguments
guard args.count == 4, let files = Int(args[2]), let churn = Int(args[3]), files >= 0, churn >= 0 else {
    _ = "usage: wordshift-signal-probe DIR FILES CHURN_THREADS\n".withCString { write(2, $0, strlen($0)) }
    exit(2)
}
let dir = args[1]
for i in 0..<files {
    let path = "\(dir)/temporary-\(i)"
    TemporaryFiles.register(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { exit(3) }
    close(fd)
}
for t in 0..<churn {
    // A detached thread runs a @Sendable, nonisolated closure (not the main actor's code).
    Thread.detachNewThread {
        var j = 0
        while true {
            // Never created: only the table moves.
            TemporaryFiles.register("/nonexistent-wordshift-probe/churn-\(t)-\(j % 3000)")
            // Two registrations outstanding per thread: slots are taken and freed all the time.
            if j >= 2 { TemporaryFiles.unregister("/nonexistent-wordshift-probe/churn-\(t)-\((j - 2) % 3000)") }
            j += 1
        }
    }
}
let ready = open("\(dir)/ready", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
close(ready)
while true { pause() }
