import Foundation
import Hummingbird
import Wordshift

/// The JSON API. Word queries are GETs with query parameters (`store` picks a store by name,
/// default the first one given); `classify` is a POST with a JSON body. docs/openapi.json
/// (also served at /openapi.json) describes every endpoint, parameter and response.
struct APIRoutes: Sendable {
    let stores: [ServedStore]
    let limits: ServerLimits
    let compute: ComputeQueue
    let started = Date()

    // MARK: responses

    struct StoreSummary: Codable {
        struct Head: Codable { var name: String; var version: Int; var labels: [String] }
        var name: String
        var path: String
        var words: Int
        var dimension: Int
        var subwords: Bool
        var bpe: Bool
        var heads: [Head]
        var skippedHeads: [String]
        /// "exact" or the approximate-search index the store's queries go through.
        var search: String
    }
    struct Health: Codable {
        var status: String
        var version: String
        var uptimeSeconds: Double
        var stores: [StoreSummary]
        var limits: ServerLimits
        var matrixProduct: String
    }
    struct NearestResult: Codable { var store: String; var word: String; var source: WordVectors.Source; var neighbors: [Neighbor] }
    struct AnalogyResult: Codable {
        var store: String; var a: String; var b: String; var c: String; var method: AnalogyMethod
        var sources: [WordVectors.Source]; var answers: [Neighbor]
    }
    struct SimilarityResult: Codable {
        var store: String; var first: String; var second: String; var similarity: Float; var sources: [WordVectors.Source]
    }
    struct VectorResult: Codable { var store: String; var word: String; var source: WordVectors.Source; var vector: [Float] }
    struct DoesntMatchResult: Codable { var store: String; var words: [String]; var odd: String; var sources: [WordVectors.Source] }
    struct SubwordResult: Codable {
        struct Ngram: Codable { var ngram: String; var known: Bool }
        var store: String; var word: String; var inVocabulary: Bool; var ngrams: [Ngram]; var bpe: [String]?
    }
    struct MapResult: Codable {
        struct Point: Codable { var word: String; var x: Float; var y: Float; var score: Float; var query: Bool }
        var store: String; var word: String; var source: WordVectors.Source; var method: String
        var explainedVariance: [Float]; var points: [Point]
    }
    struct ClassifyRequest: Codable { var store: String?; var head: String?; var text: String }
    struct ClassifyResult: Codable {
        struct LabelProbability: Codable { var label: String; var probability: Float }
        struct Token: Codable { var token: String; var contribution: Float; var inVocabulary: Bool }
        var store: String; var head: String; var version: Int; var label: String
        var probabilities: [LabelProbability]; var tokens: [Token]; var tokensExplained: Int; var tokensInText: Int
    }

    // MARK: routes

    func register(on router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in JSONResponse.make(health()) }
        router.get("/api/stores") { _, _ in JSONResponse.make(stores.map(summary)) }
        router.get("/api/nearest") { request, _ in try await nearest(request) }
        router.get("/api/analogy") { request, _ in try await analogy(request) }
        router.get("/api/similarity") { request, _ in try similarity(request) }
        router.get("/api/vector") { request, _ in try vector(request) }
        router.get("/api/doesnt-match") { request, _ in try doesntMatch(request) }
        router.get("/api/subwords") { request, _ in try subwords(request) }
        router.get("/api/map") { request, _ in try await map(request) }
        router.post("/api/classify") { request, _ in try await classify(request) }
    }

    func health() -> Health {
        Health(status: "ok", version: WordshiftVersion.string, uptimeSeconds: Date().timeIntervalSince(started),
               stores: stores.map(summary), limits: limits, matrixProduct: MatrixProduct.defaultDescription)
    }

    func summary(_ s: ServedStore) -> StoreSummary {
        StoreSummary(name: s.name, path: s.path, words: s.index.count, dimension: s.index.dimension,
                     subwords: s.vectors.subwords != nil, bpe: s.bpe != nil,
                     heads: s.heads.map { .init(name: $0.name, version: $0.version, labels: $0.labels) },
                     skippedHeads: s.skippedHeads, search: s.searchDescription)
    }

    func nearest(_ request: Request) async throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), word = try p.word("word"), k = try p.k()
        let source = try store.source(word)
        let found = try await compute.nearest(store: store, word: word, k: k)
        return JSONResponse.make(NearestResult(store: store.name, word: word, source: source, neighbors: found))
    }

    func analogy(_ request: Request) async throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), k = try p.k(default: 5)
        let (a, b, c) = (try p.word("a"), try p.word("b"), try p.word("c"))
        let method = try p.method()
        let sources = try [a, b, c].map { try store.source($0) }
        let answers = try await compute.run {
            try store.answer { try store.vectors.analogy(a: a, b: b, c: c, k: k, method: method, options: store.search) }
        }
        return JSONResponse.make(AnalogyResult(store: store.name, a: a, b: b, c: c, method: method, sources: sources, answers: answers))
    }

    func similarity(_ request: Request) throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), first = try p.word("first"), second = try p.word("second")
        let sources = [try store.source(first), try store.source(second)]
        let similarity = try store.answer { try store.vectors.similarity(first, second) }
        return JSONResponse.make(SimilarityResult(store: store.name, first: first, second: second,
                                                  similarity: similarity, sources: sources))
    }

    func vector(_ request: Request) throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), word = try p.word("word")
        let source = try store.source(word)
        let vector = try store.answer { try store.vectors.vector(for: word) }
        return JSONResponse.make(VectorResult(store: store.name, word: word, source: source, vector: vector))
    }

    func doesntMatch(_ request: Request) throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), words = try p.words("words")
        guard words.count >= 2 else { throw APIError(.badRequest, "doesnt-match needs at least two words (words=a,b,c)") }
        let sources = try words.map { try store.source($0) }
        let odd = try store.answer { try store.vectors.doesntMatch(words) }
        return JSONResponse.make(DoesntMatchResult(store: store.name, words: words, odd: odd, sources: sources))
    }

    func subwords(_ request: Request) throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), word = try p.word("word")
        let s = store.segment(word)
        return JSONResponse.make(SubwordResult(store: store.name, word: word, inVocabulary: s.inVocabulary,
                                               ngrams: s.ngrams.map { .init(ngram: $0.0, known: $0.1) }, bpe: s.bpe))
    }

    func map(_ request: Request) async throws -> Response {
        let p = Params(request, limits)
        let store = try p.store(stores), word = try p.word("word"), k = try p.k(default: 30)
        guard k <= NeighbourhoodMap.maxPoints else {
            throw APIError(.badRequest, "k must be at most \(NeighbourhoodMap.maxPoints) for a map, got \(k)")
        }
        let source = try store.source(word)
        let found = try await compute.nearest(store: store, word: word, k: k)
        // Unit vectors: the map shows cosine neighbourhoods.
        var rows: [[Float]] = []
        for w in [word] + found.map(\.word) { rows.append(VectorMath.normalized(try store.answer { try store.vectors.vector(for: w) })) }
        let points2 = rows
        let projection = try await compute.run { NeighbourhoodMap.pca(points2) }
        var points = [MapResult.Point(word: word, x: projection.points[0].0, y: projection.points[0].1, score: 1, query: true)]
        for (i, n) in found.enumerated() where i + 1 < projection.points.count {
            points.append(.init(word: n.word, x: projection.points[i + 1].0, y: projection.points[i + 1].1, score: n.score, query: false))
        }
        return JSONResponse.make(MapResult(store: store.name, word: word, source: source, method: "pca",
                                           explainedVariance: projection.explained, points: points))
    }

    func classify(_ request: Request) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limits.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "the request body is larger than \(limits.maxBodyBytes) bytes")
        }
        let input: ClassifyRequest
        do {
            input = try JSONDecoder().decode(ClassifyRequest.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError(.badRequest, "the body must be JSON {\"text\": \"...\", \"store\": \"...\", \"head\": \"...\"} (store and head optional): \(Params.describe(error))")
        }
        let store = try Params.store(named: input.store, in: stores)
        let head = try store.head(named: input.head)
        let limit = limits.maxExplainTokens
        let (probabilities, tokens) = try await compute.run { store.classify(input.text, head: head, maxTokens: limit) }
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        return JSONResponse.make(ClassifyResult(
            store: store.name, head: head.name, version: head.version, label: head.labels[best],
            probabilities: zip(head.labels, probabilities).map { .init(label: $0, probability: $1) },
            tokens: tokens.map { .init(token: $0.0, contribution: $0.1, inVocabulary: $0.2) },
            tokensExplained: tokens.count, tokensInText: TextTokens.split(input.text).count))
    }
}

/// Query parameters, checked against the limits; every refusal says what was wrong.
struct Params {
    /// Every value of each parameter, in order (percent-decoded).
    let all: [String: [String]]
    let limits: ServerLimits

    init(_ request: Request, _ limits: ServerLimits) {
        var all: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters { all[String(key), default: []].append(String(value)) }
        self.all = all
        self.limits = limits
    }

    /// The first value of a parameter.
    func value(_ name: String) -> String? { all[name]?.first }

    static func store(named name: String?, in stores: [ServedStore]) throws -> ServedStore {
        guard let name, !name.isEmpty else { return stores[0] }
        guard let s = stores.first(where: { $0.name == name }) else {
            throw APIError(.notFound, "no store named \"\(name)\" (stores: \(stores.map(\.name).joined(separator: ", ")))")
        }
        return s
    }

    func store(_ stores: [ServedStore]) throws -> ServedStore {
        try Self.store(named: value("store"), in: stores)
    }

    func checkWord(_ w: String, _ name: String) throws -> String {
        guard !w.isEmpty else { throw APIError(.badRequest, "parameter \"\(name)\" is empty") }
        guard w.utf8.count <= limits.maxWordBytes else {
            throw APIError(.badRequest, "parameter \"\(name)\" is longer than \(limits.maxWordBytes) bytes")
        }
        return w
    }

    func word(_ name: String) throws -> String {
        guard let v = value(name) else { throw APIError(.badRequest, "missing parameter \"\(name)\"") }
        return try checkWord(v, name)
    }

    /// A comma-separated list (or the parameter repeated), at most `maxWords` words.
    func words(_ name: String) throws -> [String] {
        let raw = all[name] ?? []
        guard !raw.isEmpty else { throw APIError(.badRequest, "missing parameter \"\(name)\" (comma-separated words)") }
        let words = raw.flatMap { $0.split(separator: ",", omittingEmptySubsequences: true) }.map(String.init)
        guard words.count <= limits.maxWords else {
            throw APIError(.badRequest, "\(words.count) words in \"\(name)\"; at most \(limits.maxWords) per request")
        }
        return try words.map { try checkWord($0, name) }
    }

    func k(default fallback: Int = 10) throws -> Int {
        guard let raw = value("k") else { return fallback }
        guard let k = Int(raw), k >= 1, k <= limits.maxK else {
            throw APIError(.badRequest, "k must be an integer from 1 to \(limits.maxK), got \"\(raw)\"")
        }
        return k
    }

    func method() throws -> AnalogyMethod {
        guard let raw = value("method") else { return .add }
        guard let m = AnalogyMethod(rawValue: raw) else {
            throw APIError(.badRequest, "method must be one of \(AnalogyMethod.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(raw)\"")
        }
        return m
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            "wrong type at \"\(c.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}
