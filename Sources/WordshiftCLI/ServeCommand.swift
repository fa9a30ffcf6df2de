import ArgumentParser
import Dispatch
import Wordshift
import WordshiftServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve stores over HTTP: a JSON API and the embedding explorer page.",
        discussion: """
            Open http://HOST:PORT/ in a browser for the explorer (nearest words, a zoomable map of a \
            word's neighbourhood, analogies, a classifier playground). The JSON API is described at \
            /openapi.json (also docs/openapi.json); /health reports the stores, heads and limits. \
            A store with an approximate-search index (`wordshift index build`) answers nearest and \
            analogy queries through it (`--ef` sets the effort); `--exact` searches every row. \
            Each store is served under its file name without the extension and read once at start:
            another process may update it while the server runs (restart to see the changes). \
            SIGINT or SIGTERM stops the server after the requests in flight.
            """
    )

    @Argument(help: "Stores to serve.") var stores: [String]
    @Option(name: .long, help: "Address to listen on (0.0.0.0 for every interface).") var host = "127.0.0.1"
    @Option(name: .long, help: "Port (0 picks a free one; the address is printed when listening).") var port = 8080
    @Option(name: .long, help: "Most neighbours or answers one request may ask for.") var maxK = 1_000
    @Option(name: .long, help: "Most words in one request.") var maxWords = 64
    @Option(name: .long, help: "Largest request body, in bytes.") var maxBodyBytes = 64 * 1024
    @Flag(name: .long, help: "Search exactly even when a store has an approximate-search index (`wordshift index build`).")
    var exact = false
    @Option(name: .long, help: "Search effort of the stores' approximate-search index (candidates kept per query; default: the index's).")
    var ef: Int?
    @Flag(name: .shortAndLong, help: "Print only the listening address.") var quiet = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard maxK >= 1 else { throw ValidationError("--max-k must be at least 1") }
        guard maxWords >= 2 else { throw ValidationError("--max-words must be at least 2") }
        guard maxBodyBytes >= 1_024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        if let ef, !(1...100_000).contains(ef) { throw ValidationError("--ef must be from 1 to 100000") }
        if exact && ef != nil { throw ValidationError("--ef sets the index's effort; it has no meaning with --exact") }
        for s in stores where !System.fileExists(s) { throw ValidationError("no such store: \(s)") }
    }

    func run() throws {
        var config = WordshiftServer.Configuration(stores: stores)
        config.host = host
        config.port = port
        config.limits.maxK = maxK
        config.limits.maxWords = maxWords
        config.limits.maxBodyBytes = maxBodyBytes
        config.search = SearchOptions(exact: exact, ef: ef)
        let quiet = quiet
        let outcome = Locked<(any Error)?>(nil)  // the server task's error, for the waiting command
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await WordshiftServer.run(config, log: { line in if !quiet { Console.error(line + "\n") } }) { host, port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    // Unbuffered: scripts and tests wait for this line.
                    var line = "listening on http://\(shown):\(port)/\n"
                    line.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
                }
            } catch {
                outcome.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.value { throw error }
        if !quiet { Console.error("stopped\n") }
    }
}

#if canImport(Glibc)
import Glibc
#endif
