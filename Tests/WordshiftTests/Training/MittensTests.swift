import Foundation
import Testing
@testable import Wordshift

@Suite("Training: Mittens (GloVe from source vectors with an anchor penalty)")
struct MittensTests {
    /// A source store trained on 40 kB of the wiki head, and a target corpus: its first 20 kB.
    static func fixture() throws -> (source: String, target: String) {
        let full = try TrainingFixtures.wikiHead(bytes: 40_000)
        var other = TrainingFixtures.config()
        other.seed = 7
        let source = full + ".source.sqlite"
        _ = try GloVePipeline.train(corpus: [full], out: source, config: other)
        let data = try Data(contentsOf: URL(fileURLWithPath: full))
        var part = data.prefix(20_000)
        if let nl = part.lastIndex(of: 0x0A) { part = part.prefix(through: nl) }
        let target = full + ".target.txt"
        _ = FileManager.default.createFile(atPath: target, contents: part)
        return (source, target)
    }

    static func distance(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    /// Mean distance of the anchored (target and source) words' output vectors from the source.
    static func meanDistance(_ out: String, source: String) throws -> Float {
        let o = try VectorStore(path: out), s = try VectorStore(path: source)
        let n = Int(o.meta["training.vocab_size"] ?? "") ?? 0
        let words = try o.loadWords().words.prefix(n)
        var total: Float = 0, count = 0
        for w in words {
            guard let r = try s.vector(for: w), let v = try o.vector(for: w) else { continue }
            total += distance(v, r)
            count += 1
        }
        #expect(count > 50)
        return total / Float(max(1, count))
    }

    @Test func muZeroWithoutSourceInitIsPlainTraining() throws {
        let (source, target) = try Self.fixture()
        let config = TrainingFixtures.config()
        let plain = target + ".plain.sqlite", adapted = target + ".mu0.sqlite"
        _ = try GloVePipeline.train(corpus: [target], out: plain, config: config)
        var options = MittensOptions(mu: 0)
        options.initializeFromSource = false
        let s = try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [target], out: adapted, options: options,
                                        config: config)
        let a = try TrainingFixtures.vectors(plain), b = try TrainingFixtures.vectors(adapted)
        #expect(a.count > 50)
        #expect(Array(b.prefix(a.count)) == a)
        // Source words the target corpus does not keep follow, unchanged.
        #expect(s.copiedSourceWords > 0 && b.count == a.count + s.copiedSourceWords)
        let out = try VectorStore(path: adapted), src = try VectorStore(path: source)
        let words = try out.loadWords().words
        for w in words.suffix(s.copiedSourceWords).prefix(20) {
            let x = try out.vector(for: w) ?? [], y = try src.vector(for: w) ?? [1]
            #expect(Self.distance(x, y) < 1e-5, "\(w)")
        }
    }

    @Test func penaltyPullsTowardsTheSourceVectors() throws {
        let (source, target) = try Self.fixture()
        let config = TrainingFixtures.config(iterations: 5)
        var d: [Float] = []
        for mu: Float in [0, 1, 1e6] {
            let out = target + ".mu\(mu).sqlite"
            let s = try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [target], out: out, mu: mu, config: config)
            #expect(s.anchoredWords > 50)
            d.append(try Self.meanDistance(out, source: source))
        }
        #expect(d[1] < d[0], "mu 1 should stay closer to the source than mu 0: \(d)")
        // A very large penalty keeps the anchored words at their source vectors.
        #expect(d[2] < 1e-3 * max(d[0], 1e-6) + 1e-4, "\(d)")
        let src = try VectorStore(path: source), out = try VectorStore(path: target + ".mu1000000.0.sqlite")
        for w in ["the", "of", "and"] {
            guard let r = try src.vector(for: w), let v = try out.vector(for: w) else { continue }
            #expect(Self.distance(r, v) <= 1e-3 * (r.reduce(0) { $0 + $1 * $1 }.squareRoot()), "\(w)")
        }
    }

    @Test func wordVectorOutputIsAnchoredToo() throws {
        let (source, target) = try Self.fixture()
        var config = TrainingFixtures.config()
        config.output = .wordOnly
        let out = target + ".word.sqlite"
        _ = try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [target], out: out, mu: 1e6, config: config)
        #expect(try Self.meanDistance(out, source: source) < 1e-3)
    }

    /// Two runs on 2 threads with the same seed give the same vectors, bit for bit. (The penalty
    /// step reads the other half of a word's output vector; within a phase that row can be
    /// another thread's, so it is read from the copy taken when the phase began.)
    @Test func twoThreadsRepeatBitForBit() throws {
        let full = try TrainingFixtures.wikiHead(bytes: 60_000)
        var sourceConfig = TrainingFixtures.config(threads: 2)
        sourceConfig.seed = 7
        let source = full + ".source.sqlite"
        _ = try GloVePipeline.train(corpus: [full], out: source, config: sourceConfig)
        var config = TrainingFixtures.config(threads: 2, iterations: 2)
        config.cooccurrence.window = 10
        var runs: [[[Float]]] = []
        for run in 0..<2 {
            let out = full + ".mittens\(run).sqlite"
            let s = try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [full], out: out, mu: 0.5, config: config)
            #expect(s.training.threads == 2 && s.anchoredWords > 200)
            runs.append(try TrainingFixtures.vectors(out))
        }
        #expect(runs[0].count > 200)
        for run in runs.dropFirst() {
            #expect(run.count == runs[0].count)
            let differing = zip(run, runs[0]).filter { a, b in !zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } }.count
            #expect(differing == 0, "\(differing) of \(run.count) vectors differ between two 2-thread runs with one seed")
        }
    }

    @Test func badInputsWriteNothing() throws {
        let (source, target) = try Self.fixture()
        var config = TrainingFixtures.config()
        config.dimension = 16
        let out = target + ".bad.sqlite"
        #expect {
            try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [target], out: out, mu: 0.1, config: config)
        } throws: { error in
            "\(error)".contains("dimension 12") && "\(error)".contains("16")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        config.dimension = 12
        #expect(throws: WordshiftError.self) {
            try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [target], out: out, mu: -1, config: config)
        }
        let empty = Scratch.write("", name: "empty.txt")
        #expect(throws: WordshiftError.self) {
            try GloVePipeline.adapt(source: VectorStore(path: source), corpus: [empty], out: out, mu: 0.1, config: config)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
