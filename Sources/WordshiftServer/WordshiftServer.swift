import Hummingbird
import Logging
import NIOCore
import Wordshift

/// `wordshift serve`: an HTTP server answering word queries and classifier predictions from
/// one or more stores, with the embedding explorer page at `/` and the API's OpenAPI
/// description at `/openapi.json`.
public enum WordshiftServer {
    public struct Configuration: Sendable {
        /// Store paths; each is served under its file name without the extension (made unique).
        public var stores: [String]
        public var host: String = "127.0.0.1"
        /// 0 picks a free port (the bound one is passed to `onListening`).
        public var port: Int = 8080
        public var limits = ServerLimits()
        /// How word queries search: by default through a store's approximate-search index when
        /// it has a valid one (`exact` bypasses it, `ef` sets its effort), else exactly.
        public var search = SearchOptions()

        public init(stores: [String]) { self.stores = stores }
    }

    /// Names stores by file name without the extension, adding -2, -3… to repeats.
    static func storeNames(_ paths: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return paths.map { path in
            var base = String(path.split(separator: "/").last ?? Substring(path))
            if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
            let n = (seen[base] ?? 0) + 1
            seen[base] = n
            return n == 1 ? base : "\(base)-\(n)"
        }
    }

    /// Opens every store (read once, see `ServedStore`), reports progress through `log`, binds,
    /// calls `onListening(host, port)` and serves until SIGINT or SIGTERM, then finishes the
    /// requests in flight and returns.
    public static func run(_ config: Configuration, log: @escaping @Sendable (String) -> Void = { _ in },
                           onListening: @escaping @Sendable (String, Int) -> Void) async throws {
        guard !config.stores.isEmpty else { throw WordshiftError.invalidArgument("give at least one store") }
        guard (0...65_535).contains(config.port) else {
            throw WordshiftError.invalidArgument("--port must be from 0 to 65535, got \(config.port)")
        }
        var stores: [ServedStore] = []
        for (path, name) in zip(config.stores, storeNames(config.stores)) {
            let t = System.now()
            let s = try ServedStore(path: path, name: name, search: config.search)
            log("loaded \(name): \(s.index.count) words × \(s.index.dimension)"
                + (s.vectors.subwords != nil ? ", subwords" : "") + (s.bpe != nil ? ", BPE" : "")
                + (s.heads.isEmpty ? "" : ", heads: " + s.heads.map(\.name).joined(separator: ", "))
                + ", search: " + s.searchDescription
                + " (\(Format.fixed(System.now() - t, 1)) s)")
            for problem in s.skippedHeads { log("warning: \(name): head not served: \(problem)") }
            if let problem = s.vectors.approximateIndexProblem { log("warning: \(name): index not used: \(problem)") }
            stores.append(s)
        }
        let router = makeRouter(stores: stores, limits: config.limits)
        var logger = Logger(label: "wordshift.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "wordshift/\(WordshiftVersion.string)"),
            onServerRunning: { channel in onListening(config.host, channel.localAddress?.port ?? config.port) },
            // NIO's shared group: one event loop per core accepts and parses requests.
            eventLoopGroupProvider: .singleton,
            logger: logger
        )
        try await app.runService()
    }

    static func makeRouter(stores: [ServedStore], limits: ServerLimits) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(JSONErrorMiddleware())
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: ExplorerPage.text)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPISpec.text)))
        }
        APIRoutes(stores: stores, limits: limits, compute: ComputeQueue()).register(on: router)
        return router
    }
}
