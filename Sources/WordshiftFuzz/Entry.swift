#if canImport(Glibc)
import Glibc
#endif
import WordshiftFuzzTargets

// Two builds of one file:
// - `tools/fuzz.sh` builds with `--sanitize=fuzzer -Xswiftc -DFUZZING`: libFuzzer brings `main`
//   and calls LLVMFuzzerTestOneInput for each input; the target is named by
//   $WORDSHIFT_FUZZ_TARGET.
// - A normal build is the replay tool: `wordshift-fuzz replay TARGET FILE…` runs files through a
//   target and prints what the reader said; `wordshift-fuzz list` names the targets.

/// Writes a line to standard error.
func printError(_ message: String) {
    let line = message + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

#if FUZZING
nonisolated(unsafe) private var runner: FuzzRunner? = nil

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    if runner == nil {
        guard let name = getenv("WORDSHIFT_FUZZ_TARGET").map({ String(cString: $0) }),
              let target = FuzzTarget(rawValue: name) else {
            printError("set WORDSHIFT_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(2)
        }
        do { runner = try FuzzRunner(target: target) } catch {
            printError("\(error)")
            exit(2)
        }
    }
    guard let runner else { return 0 }
    runner.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}
#else
@main
struct FuzzReplay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        if args.first == "list" {
            for t in FuzzTarget.allCases { print(t.rawValue) }
            return
        }
        guard args.count >= 3, args[0] == "replay", let target = FuzzTarget(rawValue: args[1]) else {
            printError("""
                usage: wordshift-fuzz replay TARGET FILE...   run inputs through a reader
                       wordshift-fuzz list                    the targets
                The fuzzing build itself is made and run by tools/fuzz.sh.
                """)
            exit(2)
        }
        do {
            let runner = try FuzzRunner(target: target)
            for file in args.dropFirst(2) {
                guard let f = fopen(file, "rb") else { print("\(file): cannot open"); exit(1) }
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: 65536)
                while true {
                    let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, f) }
                    if n == 0 { break }
                    bytes += chunk[0..<n]
                }
                fclose(f)
                let started = clock_gettime_ns()
                let outcome = runner.run(bytes)
                let ms = Double(clock_gettime_ns() - started) / 1e6
                print("\(file): \(outcome.map { "error: \($0)" } ?? "accepted") (\((ms * 10).rounded() / 10) ms)")
            }
        } catch {
            printError("\(error)")
            exit(1)
        }
    }

    static func clock_gettime_ns() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
#endif
