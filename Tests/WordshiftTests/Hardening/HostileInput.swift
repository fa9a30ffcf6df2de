import Foundation
@testable import Wordshift

/// Small hostile inputs shared by the hardening tests (issue 12).
enum HostileInput {
    /// A store of `n` words `w0…` of dimension `d` in a fresh directory; returns (directory, store).
    static func store(_ n: Int = 60, _ d: Int = 6) throws -> (dir: String, store: String) {
        let dir = TestData.scratchDirectory("wordshift-hardening")
        let src = try Scratch.file(Scratch.table(n, d), format: .word2vecText, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        try FileManager.default.removeItem(atPath: src)
        return (dir, dir + "/s.sqlite")
    }

    /// A little corpus where every word occurs often enough to train on.
    static func corpus(in dir: String, lines: Int = 200, name: String = "c.txt") -> String {
        var text = ""
        for i in 0..<lines { text += "the cat sat on the mat \(i % 7) while the dog ran to the park \(i % 5)\n" }
        return Scratch.write(text, name: name, in: dir)
    }

    /// Labeled `label<TAB>text` lines with two classes.
    static func labeled(in dir: String, lines: Int = 80, name: String = "l.tsv") -> String {
        var text = ""
        for i in 0..<lines { text += i % 2 == 0 ? "pos\tw\(i % 30) w1 w2 good\n" : "neg\tw\(i % 30) w3 w4 bad\n" }
        return Scratch.write(text, name: name, in: dir)
    }

    /// The head of a fastText `.bin` model (version 12) declaring `dim` and `bucket`, with a
    /// one-word dictionary and the input matrix's shape but no matrix.
    static func fastTextHeader(dim: Int32, bucket: Int32, minn: Int32 = 3, maxn: Int32 = 6) -> [UInt8] {
        var b: [UInt8] = []
        func i32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }
        i32(0x2F4F_16BA); i32(12)
        for v in [dim, 5, 5, 1, 5, 1, 1, 1, bucket, minn, maxn, 100] { i32(v) }
        i64(0)                        // t (a double)
        i32(1); i32(1); i32(0)        // size, nwords, nlabels
        i64(10); i64(-1)              // ntokens, pruneidx_size
        b += Array("a".utf8) + [0]; i64(3); b.append(0)   // one word, count 3, type word
        b.append(0)                   // not quantised
        i64(1 + Int64(bucket)); i64(Int64(dim))
        return b
    }

    /// word2vec binary bytes with the given header.
    static func binary(header: String, rows: [(String, [Float])]) -> [UInt8] {
        var bytes = Array(header.utf8)
        for (w, v) in rows {
            bytes += Array(w.utf8) + [32]
            for f in v { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes += $0 } }
            bytes.append(10)
        }
        return bytes
    }

    /// `bytes` gzip-compressed (through the writer the library uses for `.gz` outputs).
    static func gzip(_ text: String, in dir: String, name: String) throws -> String {
        let plain = Scratch.write(text, name: name + ".plain", in: dir)
        let path = dir + "/" + name
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c \"$0\" > \"$1\"", plain, path]
        try p.run()
        p.waitUntilExit()
        try FileManager.default.removeItem(atPath: plain)
        return path
    }

    /// The first `fraction` of a file's bytes, written next to it.
    static func truncated(_ path: String, keeping fraction: Double, name: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let out = (path as NSString).deletingLastPathComponent + "/" + name
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: out))
        return out
    }
}
