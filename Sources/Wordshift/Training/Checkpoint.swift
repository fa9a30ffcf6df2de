#if canImport(Glibc)
import Glibc
#endif

/// The training state after a completed iteration: all parameters and AdaGrad sums, the
/// iteration count, the per-iteration costs, and a fingerprint of everything that determines
/// the run (so a checkpoint is never resumed into a different run). Written to a temporary
/// name and renamed, so an interrupt leaves the previous checkpoint intact.
struct Checkpoint {
    static let fileName = "glove-checkpoint.bin"
    static let magic: UInt64 = 0x3154_5043_5357_4C47  // "GLWSCPT1"

    var fingerprint: UInt64
    var completedIterations: Int
    var history: [TrainingSummary.Iteration]

    static func path(in directory: String) -> String { directory + "/" + fileName }

    func write(model: GloVeModel, directory: String) throws {
        let path = Checkpoint.path(in: directory)
        let tmp = System.temporarySibling(of: path)
        TemporaryFiles.register(tmp)
        defer { TemporaryFiles.remove(tmp) }
        guard let f = fopen(tmp, "wb") else { throw WordshiftError.io(path: path, message: "cannot create checkpoint: \(System.errnoString())") }
        var header: [UInt64] = [Checkpoint.magic, fingerprint, UInt64(model.vocabularySize), UInt64(model.dimension),
                                UInt64(model.floatCount), UInt64(completedIterations), UInt64(history.count)]
        for h in history { header.append(UInt64(h.iteration)); header.append(h.cost.bitPattern); header.append(h.seconds.bitPattern) }
        var ok = header.withUnsafeBufferPointer { fwrite($0.baseAddress, 8, $0.count, f) == $0.count }
        let raw = model.rawBytes
        ok = ok && fwrite(raw.baseAddress, 1, raw.count, f) == raw.count
        if fclose(f) != 0 || !ok { throw WordshiftError.io(path: path, message: "cannot write checkpoint (disk full?): \(System.errnoString())") }
        try System.rename(tmp, to: path)
    }

    /// Iterations completed by the checkpoint in `directory` (read from its header), or nil
    /// when there is none.
    static func completedIterations(in directory: String) throws -> Int? {
        let path = Checkpoint.path(in: directory)
        guard System.fileExists(path) else { return nil }
        let reader = try ByteReader(path: path)
        var fixed = [UInt64](repeating: 0, count: 7)
        try fixed.withUnsafeMutableBytes { try readExactly(reader, $0, what: "checkpoint header") }
        guard fixed[0] == Checkpoint.magic, let done = Int(exactly: fixed[5]) else {
            throw WordshiftError.malformedBinary(path: path, byteOffset: 0, message: "not a Wordshift GloVe checkpoint")
        }
        return done
    }

    /// Loads the checkpoint into `model`; nil when there is none.
    static func read(directory: String, fingerprint: UInt64, into model: GloVeModel) throws -> Checkpoint? {
        let path = Checkpoint.path(in: directory)
        guard System.fileExists(path) else { return nil }
        let reader = try ByteReader(path: path)
        var fixed = [UInt64](repeating: 0, count: 7)
        try fixed.withUnsafeMutableBytes { try readExactly(reader, $0, what: "checkpoint header") }
        guard fixed[0] == Checkpoint.magic else { throw WordshiftError.malformedBinary(path: path, byteOffset: 0, message: "not a Wordshift GloVe checkpoint") }
        guard fixed[1] == fingerprint else {
            throw WordshiftError.invalidArgument("\(path): the checkpoint belongs to a different run (other corpus or parameters); remove it or drop --resume")
        }
        guard fixed[2] == UInt64(model.vocabularySize), fixed[3] == UInt64(model.dimension), fixed[4] == UInt64(model.floatCount),
              fixed[5] <= 1_000_000_000, fixed[6] <= min(fixed[5], 1_000_000) else {
            throw WordshiftError.malformedBinary(path: path, byteOffset: 16, message: "checkpoint shape does not match the model")
        }
        var rest = [UInt64](repeating: 0, count: Int(fixed[6]) * 3)
        if !rest.isEmpty {
            try rest.withUnsafeMutableBytes { try readExactly(reader, $0, what: "checkpoint history") }
        }
        let history = (0..<Int(fixed[6])).map { i in
            TrainingSummary.Iteration(iteration: Int(rest[3 * i]), cost: Double(bitPattern: rest[3 * i + 1]),
                                      seconds: Double(bitPattern: rest[3 * i + 2]))
        }
        try readExactly(reader, model.rawBytes, what: "checkpoint parameters")
        return Checkpoint(fingerprint: fingerprint, completedIterations: Int(fixed[5]), history: history)
    }

    private static func readExactly(_ reader: ByteReader, _ buffer: UnsafeMutableRawBufferPointer, what: String) throws {
        guard let base = buffer.baseAddress else { return }
        try reader.readExactly(into: base, count: buffer.count, what: what)
    }
}
