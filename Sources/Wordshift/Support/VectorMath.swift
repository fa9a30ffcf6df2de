/// Dense float kernels over raw pointers. SIMD8 with separate multiply and add: the default
/// x86-64 target has no FMA, and `addProduct` would become a libm call per lane.
package enum VectorMath {
    @inline(__always)
    package static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var i = 0
        while i + 16 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var s = (acc0 + acc1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    package static func norm(_ v: UnsafeBufferPointer<Float>) -> Float {
        guard let p = v.baseAddress else { return 0 }
        return dot(p, p, v.count).squareRoot()
    }

    package static func norm(_ v: [Float]) -> Float { v.withUnsafeBufferPointer { norm($0) } }

    package static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return 0 }
                return dot(x, y, a.count)
            }
        }
    }

    /// `v / |v|`, or zeros for a zero vector.
    package static func normalized(_ v: [Float]) -> [Float] {
        let n = norm(v)
        return n > 0 ? v.map { $0 / n } : v
    }

    package static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let na = norm(a), nb = norm(b)
        return na > 0 && nb > 0 ? dot(a, b) / (na * nb) : 0
    }
}
