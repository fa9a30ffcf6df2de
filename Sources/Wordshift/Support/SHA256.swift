import CCrypto

/// Streaming SHA-256 (OpenSSL's libcrypto, which uses the CPU's SHA extensions where present).
package final class SHA256Hasher {
    private let ctx: OpaquePointer

    package init() {
        ctx = EVP_MD_CTX_new()
        EVP_DigestInit_ex(ctx, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(ctx) }

    package func update(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 { EVP_DigestUpdate(ctx, base, bytes.count) }
    }

    package func update(_ string: String) {
        var s = string
        s.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The digest as lower-case hex.
    package func finalize() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(ctx, &digest, &length)
        return digest.map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }

    /// SHA-256 of a file's bytes as stored on disk (a `.gz` is hashed compressed).
    package static func hashFile(_ path: String) throws -> String {
        guard let f = fopen(path, "rb") else {
            throw WordshiftError.io(path: path, message: "cannot open: \(System.errnoString())")
        }
        defer { fclose(f) }
        let hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = fread(buffer.baseAddress, 1, buffer.count, f)
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        if ferror(f) != 0 { throw WordshiftError.io(path: path, message: "read error: \(System.errnoString())") }
        return hasher.finalize()
    }
}

#if canImport(Glibc)
import Glibc
#endif
