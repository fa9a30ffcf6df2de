/// Numbers read from a file's header (a vector count, a dimension, a matrix shape) are claims
/// about the rest of the file. Before anything is allocated from them, a reader checks the
/// claim here against the bytes that can still come (`ByteReader.remainingBound`): a 30-byte
/// file that declares 100 000 dimensions, or a count near 2⁶³, is an error naming the file,
/// where the claim was made and both sizes, not a multi-gigabyte allocation or an overflow trap.
///
///     try DeclaredSize.require(rows, of: "\(rows) vectors of dimension \(d)", atLeast: 4 * d + 2,
///                              available: input.remainingBound) {
///         WordshiftError.malformedBinary(path: path, byteOffset: 0, message: $0)
///     }
///
/// `product` and `sum` are overflow-checked arithmetic for sizes from outside data.
package enum DeclaredSize {
    /// The product of non-negative factors, or nil when a factor is negative or the product
    /// does not fit in an `Int`.
    package static func product(_ factors: Int...) -> Int? {
        var result = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (p, overflow) = result.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            result = p
        }
        return result
    }

    /// `a + b`, saturating at `Int.max` (for bounds that may be "unknown", i.e. `Int.max`).
    package static func sum(_ a: Int, _ b: Int) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : s
    }

    /// Throws `fail(message)` unless `count` items of at least `bytesEach` bytes fit in
    /// `available` bytes. `claim` says what was declared, e.g. "5 vectors of dimension 300".
    package static func require(_ count: Int, of claim: String, atLeast bytesEach: Int, available: Int,
                               fail: (String) -> WordshiftError) throws {
        guard count >= 0 else { throw fail("the header declares \(claim): a negative size") }
        let needed = product(count, bytesEach)
        if let needed, needed <= available { return }
        let need = needed.map { "at least \($0) bytes" } ?? "more bytes than any file can hold"
        let have = available == .max ? "" : ", but only \(available) bytes follow"
        throw fail("the header declares \(claim), which need \(need)\(have) (truncated, or not this format?)")
    }
}
