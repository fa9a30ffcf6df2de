#if canImport(Glibc)
import Glibc
#endif

/// The reference tools' `cooccurrence.bin`: records of (int32 word1, int32 word2, float64 value),
/// little-endian, with 1-based ids into the vocabulary.
package enum CooccurrenceFile {
    package final class Writer {
        package let path: String
        private let temporaryPath: String
        private var file: UnsafeMutablePointer<FILE>?
        private var buffer = [UInt8]()
        package private(set) var count = 0

        package init(path: String) throws {
            self.path = path
            temporaryPath = System.temporarySibling(of: path)
            TemporaryFiles.register(temporaryPath)
            guard let f = fopen(temporaryPath, "wb") else {
                TemporaryFiles.remove(temporaryPath)
                throw WordshiftError.io(path: path, message: "cannot create: \(System.errnoString())")
            }
            file = f
            buffer.reserveCapacity(1 << 20)
        }

        deinit { abandon() }

        /// Appends a record with 0-based ids.
        package func add(_ w1: Int32, _ w2: Int32, _ value: Double) throws {
            withUnsafeBytes(of: (w1 + 1).littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: (w2 + 1).littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer.append(contentsOf: $0) }
            count += 1
            if buffer.count >= 1 << 20 { try flush() }
        }

        private func flush() throws {
            guard let file else { return }
            let n = buffer.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            if n != buffer.count { throw WordshiftError.io(path: path, message: "cannot write (disk full?): \(System.errnoString())") }
            buffer.removeAll(keepingCapacity: true)
        }

        package func finish() throws {
            do {
                try flush()
                guard let f = file else { return }
                file = nil
                if fclose(f) != 0 { throw WordshiftError.io(path: path, message: "cannot write: \(System.errnoString())") }
                try TemporaryFiles.moveIntoPlace(temporaryPath, to: path)
            } catch {
                abandon()
                throw error
            }
        }

        package func abandon() {
            if let f = file { fclose(f) }
            file = nil
            TemporaryFiles.remove(temporaryPath)
        }
    }

    /// Streams the records of a file as 0-based ids; checks ids against `vocabularySize`.
    package static func read(_ path: String, vocabularySize: Int, _ body: (Int32, Int32, Double) throws -> Void) throws {
        let reader = try ShardReader(path: path, vocabularySize: vocabularySize, bufferBytes: 16 * 65536, requireSorted: false)
        while try reader.advance() { try body(reader.word1 - 1, reader.word2 - 1, reader.value) }
    }
}
