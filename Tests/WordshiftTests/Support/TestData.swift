import Foundation

/// Finds the public test data (never committed): `$WORDSHIFT_DATA`, then `corpora/data`
/// (filled by tools/fetch-data.sh), then `../shared/data` beside the repository.
enum TestData {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // Support, WordshiftTests, Tests, repo
        return url.path
    }()

    static let root: String = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["WORDSHIFT_DATA"] { candidates.append(env) }
        candidates.append(repoRoot + "/corpora/data")
        candidates.append(repoRoot + "/../shared/data")
        for c in candidates where FileManager.default.fileExists(atPath: c + "/vectors") { return c }
        return candidates.last!
    }()

    /// Absolute path of a data file, e.g. `path("vectors/glove-text/test_glove.txt")`.
    static func path(_ relative: String) -> String { root + "/" + relative }

    static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// A fresh scratch directory under the system temp folder.
    static func scratchDirectory(_ name: String = "wordshift-test") -> String {
        let dir = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Path of the built `wordshift` binary next to the test bundle.
    static var cliBinary: String { binary("wordshift") }

    /// Path of a built executable of this package, next to the test bundle.
    static func binary(_ name: String) -> String {
        let candidates = [repoRoot + "/.build/debug/" + name, repoRoot + "/.build/release/" + name]
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            let p = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
            dir.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }
}
