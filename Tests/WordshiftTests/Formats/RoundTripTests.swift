import Foundation
import Testing
@testable import Wordshift

@Suite struct RoundTripTests {
    let table = Scratch.table(300, 17)

    @Test func binaryRoundTripIsBitIdentical() throws {
        let path = try Scratch.file(table, format: .word2vecBinary)
        let (back, report) = try VectorFileReader.load(path: path)
        #expect(report.format == .word2vecBinary)
        #expect(back.words == table.words)
        #expect(back.values.map(\.bitPattern) == table.values.map(\.bitPattern))
    }

    @Test(arguments: [VectorFormat.word2vecText, .gloveText, .fastTextVec])
    func textRoundTripKeepsEveryFloat(format: VectorFormat) throws {
        let path = try Scratch.file(table, format: format)
        let (back, report) = try VectorFileReader.load(path: path)
        #expect(report.format == (format == .gloveText ? .gloveText : .word2vecText))
        #expect(back.words == table.words)
        // Shortest round-trip decimals: exact float32 values come back.
        #expect(back.values == table.values)
    }

    /// A UTF-8 byte order mark (as editors on Windows write) is not part of the header, the
    /// first word or the first label.
    @Test func byteOrderMarkIsSkipped() throws {
        let dir = TestData.scratchDirectory()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for (name, text) in [("h.vec", "2 3\r\nfoo 1 2 3\r\nbar 4 5 6\r\n"), ("g.txt", "foo 1 2 3\nbar 4 5 6\n")] {
            let path = Scratch.write(bytes: bom + Array(text.utf8), name: name, in: dir)
            let (table, report) = try VectorFileReader.load(path: path)
            #expect(table.words == ["foo", "bar"] && report.dimension == 3, "\(name)")
        }
        let labeled = Scratch.write(bytes: bom + Array("pos\tgood\r\nneg\tbad\r\n".utf8), name: "l.tsv", in: dir)
        let data = try LabeledDataReader.read(labeled)
        #expect(data.labels == ["neg", "pos"] && data.labelCounts == [1, 1])
    }

    @Test func gzipRoundTrip() throws {
        let path = try Scratch.file(table, format: .word2vecText, name: "v.txt.gz")
        let raw = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(raw.prefix(2) == Data([0x1f, 0x8b]))
        let (back, _) = try VectorFileReader.load(path: path)
        #expect(back.values == table.values)
    }

    @Test func limitReadsAPrefix() throws {
        for format in [VectorFormat.word2vecText, .word2vecBinary] {
            let path = try Scratch.file(table, format: format)
            let (back, _) = try VectorFileReader.load(path: path, options: LoadOptions(limit: 10))
            #expect(back.words == Array(table.words.prefix(10)))
            #expect(back.values == Array(table.values.prefix(10 * 17)))
        }
    }

    @Test func storeRoundTripRestoresVectors() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(table, format: .word2vecBinary, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        let store = try VectorStore(path: dir + "/s.sqlite")
        #expect(store.count == 300 && store.dimension == 17)
        #expect(store.meta[MetaKey.sourceSHA256] == (try SHA256Hasher.hashFile(src)))
        let v = try #require(try store.vector(for: "w42"))
        for (a, b) in zip(v, table.vector(42)) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b))) }
        _ = try VectorImport.export(store: store, to: dir + "/out.bin", format: .word2vecBinary)
        let (back, _) = try VectorFileReader.load(path: dir + "/out.bin")
        #expect(back.words == table.words)
        for (a, b) in zip(back.values, table.values) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b))) }
        #expect(Scratch.contents(dir) == ["out.bin", "s.sqlite", "vectors.word2vec-binary"])
    }

    @Test func carriageReturnsAndTrailingSpacesAreTolerated() throws {
        let path = Scratch.write("2 3\r\nfoo 1 2 3 \r\nbar 4 5.5 -6e-1\r\n")
        let (t, _) = try VectorFileReader.load(path: path)
        #expect(t.words == ["foo", "bar"])
        #expect(t.values == [1, 2, 3, 4, 5.5, -0.6])
    }

    @Test func duplicatesKeepTheFirstAndWarn() throws {
        let path = Scratch.write("3 2\na 1 2\nb 3 4\na 5 6\n")
        let (t, report) = try VectorFileReader.load(path: path)
        #expect(t.words == ["a", "b"])
        #expect(t.values == [1, 2, 3, 4])
        #expect(report.duplicates == 1)
        #expect(report.warnings.contains { $0.contains("1 duplicate") })
    }

    @Test func binaryWithoutNewlinesAfterRows() throws {
        // gensim writes no newline after each vector; the C tool writes one.
        var bytes = Array("2 2\n".utf8)
        for (w, v) in [("x", [Float(1), 2]), ("y", [3, 4])] {
            bytes += Array(w.utf8) + [32]
            for f in v { withUnsafeBytes(of: f.bitPattern.littleEndian) { bytes += $0 } }
        }
        let (t, report) = try VectorFileReader.load(path: Scratch.write(bytes: bytes, name: "g.bin"))
        #expect(report.format == .word2vecBinary)
        #expect(t.words == ["x", "y"] && t.values == [1, 2, 3, 4])
    }

    @Test func decimalParserMatchesDoubleThenFloat() {
        for s in ["0.418", "-1e-05", "3.4028235e38", "0.1000000000000000055511151231257827", "123456789012345678901234",
                  "1.0000000596046448", "-0", "7", ".5", "5."] {
            let bytes = Array(s.utf8)
            let parsed = bytes.withUnsafeBufferPointer { DecimalParser.parseFloat($0.baseAddress!, $0.count) }
            #expect(parsed == Float(Double(s)!), "\(s)")
        }
        for bad in ["nan", "inf", "1e", "abc", "1.2.3", "", "-", "1e400"] {
            let bytes = Array(bad.utf8)
            #expect(bytes.withUnsafeBufferPointer { DecimalParser.parseFloat($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, $0.count) } == nil, "\(bad)")
        }
    }
}
