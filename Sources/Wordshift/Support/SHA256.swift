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
        let file = FileDigest(path: path)
        while file.step() {}
        return try file.result()
    }
}

/// A file being hashed one 1 MiB block per `step()`, so that the work can be done at once
/// (`SHA256Hasher.hashFile`) or split between threads under a lock (`BackgroundFileHash`).
/// A file that cannot be opened or read ends it with that error, which `result()` throws.
package final class FileDigest {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private let hasher = SHA256Hasher()
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    private var outcome: Result<String, any Error>?

    /// Opens `path`; an error is kept for `result()`.
    package init(path: String) {
        self.path = path
        file = fopen(path, "rb")
        if file == nil { outcome = .failure(WordshiftError.io(path: path, message: "cannot open: \(System.errnoString())")) }
    }

    deinit {
        close()
        buffer.deallocate()
    }

    /// Hashes the next block; false once the file is done (or failed).
    package func step() -> Bool {
        guard outcome == nil, let file else { return false }
        let n = fread(buffer.baseAddress, 1, buffer.count, file)
        if n > 0 {
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            return true
        }
        outcome = ferror(file) != 0
            ? .failure(WordshiftError.io(path: path, message: "read error: \(System.errnoString())"))
            : .success(hasher.finalize())
        close()
        return false
    }

    /// The digest as lower-case hex, or the error that ended the file (call once `step()` is false).
    package func result() throws -> String {
        guard let outcome else { throw WordshiftError.io(path: path, message: "internal: the hash did not finish") }
        return try outcome.get()
    }

    private func close() {
        if let file { fclose(file) }
        file = nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
