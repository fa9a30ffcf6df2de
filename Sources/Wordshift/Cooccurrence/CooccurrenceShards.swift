import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One or more reference-format co-occurrence files read as one: a single file as it is (any
/// record order), several as a sorted k-way merge in bounded memory that sums the records of a
/// pair found in more than one shard (in the order the shards are given, so the sum is
/// repeatable). Every shard is checked before anything is read (`check`): whole records, and
/// against its sidecar (`CooccurrenceManifest`) the vocabulary, the counting settings and the
/// length; while reading, ids within the vocabulary, positive values, and (when merging) the
/// sort order.
public struct CooccurrenceShards {
    /// One co-occurrence file as checked by ``CooccurrenceShards/check(_:vocabulary:vocabularyPath:)``.
    public struct Shard: Sendable {
        /// The file's path.
        public let path: String
        /// The file's size in bytes (a multiple of the 16-byte record).
        public let bytes: Int
        /// The file's sidecar, or nil for a file without one (e.g. from the reference tools).
        public let manifest: CooccurrenceManifest?
    }

    /// The files, in the order they are read and merged.
    public let shards: [Shard]
    /// Words in the vocabulary every id must fall below.
    public let vocabularySize: Int

    /// Expands directories to their `*.bin` files (byte order), checks every shard against
    /// `vocabulary` (read from `vocabularyPath`), and refuses a bad one by name.
    public static func check(_ inputs: [String], vocabulary: Vocabulary, vocabularyPath: String) throws -> CooccurrenceShards {
        var paths: [String] = []
        for input in inputs {
            if System.isDirectory(input) {
                let names: [String]
                do { names = try FileManager.default.contentsOfDirectory(atPath: input) } catch {
                    throw WordshiftError.io(path: input, message: "cannot list this directory: \(error.localizedDescription)")
                }
                let bins = names.filter { $0.hasSuffix(".bin") && !$0.hasPrefix(".") }
                    .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                if bins.isEmpty { throw WordshiftError.emptyInput(path: input, message: "no *.bin co-occurrence shards in this directory") }
                paths += bins.map { input.hasSuffix("/") ? input + $0 : input + "/" + $0 }
            } else {
                paths.append(input)
            }
        }
        guard !paths.isEmpty else { throw WordshiftError.invalidArgument("no co-occurrence file given (--cooccur FILE...)") }
        var shards: [Shard] = []
        var reference: (path: String, manifest: CooccurrenceManifest)?
        let fingerprint = vocabulary.fingerprint
        for path in paths {
            guard System.fileExists(path) else { throw WordshiftError.io(path: path, message: "no such file") }
            guard let bytes = System.fileSize(path), !System.isDirectory(path) else {
                throw WordshiftError.io(path: path, message: "cannot read the size of this co-occurrence file")
            }
            if bytes % 16 != 0 {
                throw WordshiftError.malformedBinary(path: path, byteOffset: bytes - bytes % 16,
                                                     message: "file ends inside a 16-byte record (truncated?)")
            }
            let manifest = try CooccurrenceManifest.read(for: path)
            if let m = manifest {
                if m.vocabularySize != vocabulary.count || m.vocabularySHA256 != fingerprint {
                    throw WordshiftError.invalidArgument("\(path): counted with another vocabulary (\(m.vocabularySize) words, "
                        + "fingerprint \(m.vocabularySHA256.prefix(12))…) than \(vocabularyPath) (\(vocabulary.count) words, "
                        + "fingerprint \(fingerprint.prefix(12))…); count every shard with the same vocab.txt (--vocab)")
                }
                if m.records * 16 != bytes {
                    throw WordshiftError.malformedBinary(path: path, byteOffset: bytes,
                                                         message: "truncated: its manifest says \(m.records) records (\(m.records * 16) bytes), the file has \(bytes) bytes")
                }
                if let r = reference, r.manifest.countingSettings != m.countingSettings {
                    throw WordshiftError.invalidArgument("\(path): counted with \(m.countingSettings), but \(r.path) with "
                        + "\(r.manifest.countingSettings); shards to merge must be counted alike")
                }
                if reference == nil { reference = (path, m) }
            }
            shards.append(Shard(path: path, bytes: bytes, manifest: manifest))
        }
        if shards.count > 1, let unsorted = shards.first(where: { $0.manifest?.sorted == false }) {
            throw WordshiftError.invalidArgument("\(unsorted.path): not sorted (its manifest says so); merging needs shards sorted by (word1, word2)")
        }
        return CooccurrenceShards(shards: shards, vocabularySize: vocabulary.count)
    }

    /// Bytes of all shards together (16 per record).
    public var totalBytes: Int { shards.reduce(0) { $0 + $1.bytes } }

    /// Streams every pair once as 0-based ids; returns the SHA-256 of the shards' bytes (of
    /// the file itself for one shard; of the shards' digests, in order, for several).
    /// `bufferBytes` bounds the read buffers of all shards together.
    @discardableResult
    public func read(bufferBytes: Int = 8 << 20, _ body: (Int32, Int32, Double) throws -> Void) throws -> String {
        let perShard = max(16 * 1024, bufferBytes / max(1, shards.count) / 16 * 16)
        let readers = try shards.map { try ShardReader(path: $0.path, vocabularySize: vocabularySize, bufferBytes: perShard,
                                                       requireSorted: shards.count > 1) }
        if readers.count == 1 {
            let r = readers[0]
            while try r.advance() { try body(r.word1 - 1, r.word2 - 1, r.value) }
            return r.finishDigest()
        }
        // Heap of reader indices ordered by (key, shard index).
        var heap: [Int] = []
        func less(_ a: Int, _ b: Int) -> Bool {
            let ka = readers[a].key, kb = readers[b].key
            return ka != kb ? ka < kb : a < b
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for (i, r) in readers.enumerated() where try r.advance() {
            heap.append(i)
            var c = heap.count - 1
            while c > 0 && less(heap[c], heap[(c - 1) / 2]) { heap.swapAt(c, (c - 1) / 2); c = (c - 1) / 2 }
        }
        while let top = heap.first {
            let r = readers[top]
            let key = r.key, w1 = r.word1, w2 = r.word2
            var value = r.value
            if try r.advance() { siftDown(0) } else { heap[0] = heap[heap.count - 1]; heap.removeLast(); siftDown(0) }
            while let next = heap.first, readers[next].key == key {
                let n = readers[next]
                value += n.value
                if try n.advance() { siftDown(0) } else { heap[0] = heap[heap.count - 1]; heap.removeLast(); siftDown(0) }
            }
            try body(w1 - 1, w2 - 1, value)
        }
        let combined = SHA256Hasher()
        for r in readers { combined.update(r.finishDigest()) }
        return combined.finalize()
    }
}

/// Sequential reader of one co-occurrence file with its own buffer; checks every record and
/// hashes the bytes as they go by.
final class ShardReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var filled = 0, position = 0, offset = 0
    private let vocabularySize: Int
    private let requireSorted: Bool
    private let hasher = SHA256Hasher()
    private var digest: String?
    private(set) var word1: Int32 = 0, word2: Int32 = 0, value = 0.0
    private(set) var key: UInt64 = 0
    private var started = false

    init(path: String, vocabularySize: Int, bufferBytes: Int, requireSorted: Bool) throws {
        self.path = path
        guard let f = fopen(path, "rb") else { throw WordshiftError.io(path: path, message: "cannot open: \(System.errnoString())") }
        file = f
        capacity = bufferBytes
        buffer = .allocate(byteCount: bufferBytes, alignment: 16)
        self.vocabularySize = vocabularySize
        self.requireSorted = requireSorted
    }

    deinit {
        fclose(file)
        buffer.deallocate()
    }

    /// Loads the next record; false at the end of the file.
    func advance() throws -> Bool {
        if position == filled {
            offset += filled
            filled = fread(buffer, 1, capacity, file)
            position = 0
            if filled == 0 {
                if ferror(file) != 0 { throw WordshiftError.io(path: path, message: "cannot read: \(System.errnoString())") }
                return false
            }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: filled))
            if filled % 16 != 0 {
                throw WordshiftError.malformedBinary(path: path, byteOffset: offset + filled - filled % 16,
                                                     message: "file ends inside a 16-byte record (truncated?)")
            }
        }
        let p = position
        let w1 = Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: p, as: Int32.self))
        let w2 = Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: p + 4, as: Int32.self))
        let x = Double(bitPattern: UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: p + 8, as: UInt64.self)))
        if w1 < 1 || Int(w1) > vocabularySize || w2 < 1 || Int(w2) > vocabularySize {
            throw WordshiftError.malformedBinary(path: path, byteOffset: offset + p,
                                                 message: "word id \(w1 < 1 || Int(w1) > vocabularySize ? w1 : w2) outside the vocabulary (1...\(vocabularySize)); was it counted with another vocab.txt?")
        }
        if !(x.isFinite && x > 0) {
            throw WordshiftError.malformedBinary(path: path, byteOffset: offset + p + 8, message: "co-occurrence value \(x) is not a positive number")
        }
        let k = UInt64(UInt32(w1)) << 32 | UInt64(UInt32(w2))
        if requireSorted && started && k <= key {
            throw WordshiftError.malformedBinary(path: path, byteOffset: offset + p,
                                                 message: "records not sorted by (word1, word2): (\(w1), \(w2)) after (\(word1), \(word2)); "
                                                    + "shards to merge must be sorted, as `wordshift train cooccur` and tools/spark write them")
        }
        started = true
        word1 = w1; word2 = w2; value = x; key = k
        position += 16
        return true
    }

    func finishDigest() -> String {
        if let digest { return digest }
        let d = hasher.finalize()
        digest = d
        return d
    }
}
