/// How a store holds each unit vector in its vector chunks (meta `vector_encoding`;
/// docs/store.md, "Quantized stores"). Rows are decoded to float32 when read, so every query
/// runs on any encoding; a quantized row is renormalised to unit length as it is decoded.
public enum VectorEncoding: String, Codable, Sendable, CaseIterable {
    /// `dimension` little-endian IEEE-754 float32 values (the default, exact).
    case float32
    /// `dimension` little-endian IEEE-754 half-precision values: half the bytes.
    case float16
    /// A little-endian float32 scale, then `dimension` signed bytes; value = byte × scale:
    /// about a quarter of the bytes.
    case int8
    /// Product quantization: one byte per subquantizer, the number of a centroid in that
    /// subspace's codebook (table `pq_codebooks`, ``ProductQuantizer``): a twelfth of
    /// the float32 bytes with the default 3-value subvectors (a sixteenth with 4-value ones).
    /// Approximate: searches rank the decoded vectors.
    case pq

    /// Bytes of one stored row; nil for `pq`, whose rows hold one byte per subquantizer
    /// (``VectorStore/rowBytes``).
    public func rowBytes(dimension: Int) -> Int? {
        switch self {
        case .float32: return 4 * dimension
        case .float16: return 2 * dimension
        case .int8: return 4 + dimension
        case .pq: return nil
        }
    }

    /// Decodes one stored row into `out` (`dimension` values); false when `blob` has the wrong
    /// size, and always for `pq` (decoded with the store's codebooks, ``ProductQuantizer``).
    package func decode(_ blob: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Float>, dimension: Int) -> Bool {
        guard let bytes = rowBytes(dimension: dimension) else { return false }
        guard blob.count == bytes, let base = blob.baseAddress else { return dimension == 0 }
        switch self {
        case .pq:
            return false
        case .float32:
            UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: 4 * dimension)
            return true
        case .float16:
            for j in 0..<dimension {
                out[j] = Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * j, as: UInt16.self))))
            }
        case .int8:
            let scale = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(as: UInt32.self)))
            for j in 0..<dimension { out[j] = Float(base.load(fromByteOffset: 4 + j, as: Int8.self)) * scale }
        }
        let n = VectorMath.norm(UnsafeBufferPointer(start: out, count: dimension))
        if n > 0, n.isFinite { for j in 0..<dimension { out[j] /= n } }
        return true
    }

    /// Encodes the unit vector `unit` (`dimension` values) as one stored row into `out`, which
    /// holds ``rowBytes(dimension:)`` bytes; false (nothing written) for `pq`, which needs
    /// codebooks (``ProductQuantizer``), or for a buffer of another size.
    package func encode(_ unit: UnsafePointer<Float>, dimension: Int, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard let bytes = rowBytes(dimension: dimension), out.count == bytes else { return false }
        guard let base = out.baseAddress else { return bytes == 0 }
        switch self {
        case .pq:
            return false
        case .float32:
            base.copyMemory(from: unit, byteCount: 4 * dimension)
        case .float16:
            for j in 0..<dimension { base.storeBytes(of: Float16(unit[j]).bitPattern.littleEndian, toByteOffset: 2 * j, as: UInt16.self) }
        case .int8:
            var maxAbs: Float = 0
            for j in 0..<dimension { maxAbs = max(maxAbs, abs(unit[j])) }
            let scale: Float = maxAbs > 0 ? maxAbs / 127 : 1
            base.storeBytes(of: scale.bitPattern.littleEndian, as: UInt32.self)
            for j in 0..<dimension {
                let q = max(-127, min(127, (unit[j] / scale).rounded()))
                base.storeBytes(of: Int8(q), toByteOffset: 4 + j, as: Int8.self)
            }
        }
        return true
    }
}
