import Foundation
@testable import Wordshift

/// Helpers to write small input files for tests.
enum Scratch {
    static func write(_ text: String, name: String = "input.txt", in dir: String = TestData.scratchDirectory()) -> String {
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func write(bytes: [UInt8], name: String, in dir: String = TestData.scratchDirectory()) -> String {
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Files in `dir` (to check that nothing was left behind).
    static func contents(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// A deterministic table of `n` words × `d` dimensions.
    static func table(_ n: Int, _ d: Int, seed: UInt64 = 7) -> VectorTable {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 250_000
        }
        let words = (0..<n).map { "w\($0)" }
        let values = (0..<(n * d)).map { _ in next() }
        return VectorTable(words: words, dimension: d, values: values)
    }

    /// Writes `table` in `format` to a scratch file.
    static func file(_ table: VectorTable, format: VectorFormat, name: String? = nil, dir: String = TestData.scratchDirectory()) throws -> String {
        let path = dir + "/" + (name ?? "vectors.\(format.rawValue)")
        let w = try VectorFileWriter(path: path, format: format, count: table.count, dimension: table.dimension)
        for i in 0..<table.count {
            try Array(table.vector(i)).withUnsafeBufferPointer { try w.write(word: table.words[i], vector: $0) }
        }
        try w.finish()
        return path
    }
}
