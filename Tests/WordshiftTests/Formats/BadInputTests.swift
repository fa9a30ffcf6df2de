import Foundation
import Testing
@testable import Wordshift

/// Every malformed input gets a typed error naming the file and line or byte offset, and
/// an import that fails leaves no store behind.
@Suite struct BadInputTests {
    /// Imports `path` into a store in a fresh directory; returns the error and what is left there.
    func failedImport(_ path: String, options: LoadOptions = LoadOptions()) -> (WordshiftError?, [String]) {
        let dir = TestData.scratchDirectory()
        do {
            _ = try VectorImport.importFile(path, to: dir + "/out.sqlite", options: options)
            return (nil, Scratch.contents(dir))
        } catch {
            return (error as? WordshiftError, Scratch.contents(dir))
        }
    }

    func binary(rows: [(String, [Float])], header: String) -> [UInt8] { HostileInput.binary(header: header, rows: rows) }

    @Test func truncatedBinaryNamesTheOffset() {
        let full = binary(rows: [("a", [1, 2, 3]), ("b", [4, 5, 6])], header: "2 3\n")
        let path = Scratch.write(bytes: Array(full.dropLast(6)), name: "t.bin")
        let (error, left) = failedImport(path)
        guard case let .malformedBinary(p, offset, message)? = error else { Issue.record("got \(String(describing: error))"); return }
        // Row b's vector starts at byte 21; the file ends 7 bytes into it.
        #expect(p == path && offset == 28 && message.contains("truncated") && message.contains("\"b\""))
        #expect(left.isEmpty)
    }

    @Test func binaryHeaderPromisingMoreRows() {
        let path = Scratch.write(bytes: binary(rows: [("a", [1, 2])], header: "5 2\n"), name: "h.bin")
        let (error, left) = failedImport(path)
        guard case let .malformedBinary(_, _, message)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("1 of 5"))
        #expect(left.isEmpty)
    }

    /// Found by the fuzzer (gzip target): a 15-byte file declaring 62,332,338 rows of dimension
    /// 1 made the table reserve room for 16M words (256 MB). The count the sink is told is what
    /// the file can hold at most: one-byte word, space, 4 bytes per value.
    @Test func binaryHeaderCountDoesNotSizeMemory() throws {
        struct Recorder: VectorSink {
            var expected: Int?? = .none
            mutating func begin(dimension: Int, expectedCount: Int?) throws { expected = .some(expectedCount) }
            mutating func add(words: [String], values: [Float]) throws {}
        }
        let bytes: [UInt8] = Array("62332338 1\n7 ".utf8) + [0x85, 0x30]
        let path = Scratch.write(bytes: bytes, name: "count.bin")
        var sink = Recorder()
        #expect(throws: WordshiftError.self) {
            _ = try BinaryVectorReader.read(path: path, options: LoadOptions(), into: &sink)
        }
        let told = try #require(sink.expected ?? nil, "begin was not called with a count")
        #expect(told <= (bytes.count - 11) / 6, "the sink was told to expect \(told) rows")
        // A real file still passes its count through.
        let real = Scratch.write(bytes: binary(rows: [("a", [1]), ("b", [2])], header: "2 1\n"), name: "real.bin")
        var sink2 = Recorder()
        _ = try BinaryVectorReader.read(path: real, options: LoadOptions(), into: &sink2)
        #expect((sink2.expected ?? nil) == 2)
    }

    @Test func textHeaderPromisingMoreRowsWarnsOrFails() throws {
        let path = Scratch.write("3 2\na 1 2\n")
        let (table, report) = try VectorFileReader.load(path: path)
        #expect(table.words == ["a"])
        #expect(report.warnings.contains { $0.contains("declares 3 vectors but the file holds 1") })
        let (error, left) = failedImport(path, options: LoadOptions(strictHeader: true))
        guard case let .malformedLine(_, line, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(line == 1 && left.isEmpty)
    }

    @Test func rowWithWrongNumberOfValues() {
        let path = Scratch.write("2 3\na 1 2 3\nb 1 2\n")
        let (error, left) = failedImport(path)
        #expect(error == .dimensionMismatch(path: path, line: 3, expected: 3, found: 2))
        #expect(left.isEmpty)
    }

    @Test func gloveRowWithTooManyValues() {
        let path = Scratch.write("a 1 2\nb 1 2 3\n")
        #expect(failedImport(path).0 == .dimensionMismatch(path: path, line: 2, expected: 2, found: 3))
    }

    @Test func nonNumericValue() {
        let path = Scratch.write("1 2\na 1 x2\n")
        let (error, _) = failedImport(path)
        guard case let .malformedLine(_, line, message)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(line == 2 && message.contains("value 2") && message.contains("x2"))
    }

    @Test(arguments: ["nan", "inf", "-inf", "NaN", "1e39"])
    func nonFiniteTextValue(value: String) {
        let path = Scratch.write("a 1 \(value)\n")
        guard case let .malformedLine(_, line, _)? = failedImport(path).0 else { Issue.record("accepted \(value)"); return }
        #expect(line == 1)
    }

    @Test func nonFiniteBinaryValue() {
        let path = Scratch.write(bytes: binary(rows: [("a", [1, .nan])], header: "1 2\n"), name: "n.bin")
        guard case let .malformedBinary(_, offset, message)? = failedImport(path).0 else { Issue.record("NaN accepted"); return }
        #expect(offset == 10 && message.contains("NaN"))
    }

    @Test func emptyFile() {
        for text in ["", "\n\n  \n"] {
            let path = Scratch.write(text)
            guard case .emptyInput? = failedImport(path).0 else { Issue.record("empty file accepted"); return }
        }
    }

    @Test func invalidUTF8UnderStrictAndReplace() throws {
        let path = Scratch.write(bytes: Array("2 1\nok 1\n".utf8) + [0x62, 0x97, 0x20, 0x32, 0x0A], name: "u.vec")
        #expect(failedImport(path, options: LoadOptions(utf8: .strict)).0 == .invalidUTF8(path: path, line: 3))
        let (table, report) = try VectorFileReader.load(path: path, options: LoadOptions(utf8: .replace))
        #expect(table.words == ["ok", "b\u{FFFD}"])
        #expect(report.replacedUTF8Lines == 1)
    }

    @Test func missingFileAndDirectory() {
        guard case .io? = failedImport("/nonexistent/vectors.txt").0 else { Issue.record("missing file accepted"); return }
        guard case .io? = failedImport(TestData.scratchDirectory()).0 else { Issue.record("directory accepted"); return }
    }

    @Test func fastTextBinaryModelIsNotAWord2vecFile() throws {
        let path = TestData.path("vectors/fasttext-binary/crime-and-punishment.bin")
        try #require(TestData.exists("vectors/fasttext-binary/crime-and-punishment.bin"))
        var table = VectorTable()
        do {
            _ = try VectorFileReader.read(path: path, into: &table)
            Issue.record("a fastText model was read as plain vectors")
        } catch let WordshiftError.malformedBinary(_, offset, message) {
            #expect(offset == 0 && message.contains("fastText binary model"))
        }
        guard case .malformedBinary? = failedImport(path, options: LoadOptions(format: .word2vecBinary)).0 else {
            Issue.record("--format word2vec-binary accepted a fastText model"); return
        }
    }

    @Test func notAStore() {
        let path = Scratch.write("hello\n")
        #expect(throws: WordshiftError.self) { _ = try VectorStore(path: path) }
        do { _ = try VectorStore(path: path) } catch let error as WordshiftError {
            guard case .notAStore = error else { Issue.record("got \(error)"); return }
        } catch { Issue.record("untyped error \(error)") }
    }

    @Test func plainSQLiteFileIsNotAStore() throws {
        let dir = TestData.scratchDirectory()
        let db = try SQLiteConnection(path: dir + "/x.sqlite", readOnly: false)
        try db.execute("CREATE TABLE t(x)")
        guard case .notAStore? = (Result { try VectorStore(path: dir + "/x.sqlite") }.failure) else {
            Issue.record("plain SQLite file opened as a store"); return
        }
    }

    @Test func newerStoreVersionIsRefused() throws {
        let dir = TestData.scratchDirectory()
        let src = try Scratch.file(Scratch.table(3, 2), format: .word2vecText, dir: dir)
        _ = try VectorImport.importFile(src, to: dir + "/s.sqlite")
        let db = try SQLiteConnection(path: dir + "/s.sqlite", readOnly: false)
        try db.execute("PRAGMA user_version=\(StoreSchema.formatVersion + 1)")
        let error = Result { try VectorStore(path: dir + "/s.sqlite") }.failure
        #expect(error == .unsupportedStoreVersion(path: dir + "/s.sqlite", found: StoreSchema.formatVersion + 1, supported: StoreSchema.formatVersion))
    }

    @Test func unknownQueryWordIsNamed() throws {
        let index = EmbeddingIndex(words: ["a", "b"], dimension: 2, vectors: [1, 0, 0, 1])
        #expect(throws: WordshiftError.unknownWord("zebra")) { try WordResolver(index: index).require("zebra") }
    }
}

extension Result where Failure == any Error {
    var failure: WordshiftError? {
        if case let .failure(e) = self { return e as? WordshiftError }
        return nil
    }
}
