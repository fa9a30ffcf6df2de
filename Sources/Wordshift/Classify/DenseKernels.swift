/// Small SIMD kernels for the classifier (multiply then add: no FMA on the default target).
enum DenseKernels {
    /// y += a * x
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let av = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= n {
            let v = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * av
                + ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { y[i] += a * x[i]; i += 1 }
    }

    /// y += x
    @inline(__always)
    static func add(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        var i = 0
        while i + 8 <= n {
            let v = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                + ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n { y[i] += x[i]; i += 1 }
    }

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        VectorMath.dot(a, b, n)
    }

    /// In-place softmax.
    static func softmax(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
        var m = -Float.infinity
        for i in 0..<n { m = max(m, v[i]) }
        var s: Float = 0
        for i in 0..<n { v[i] = expf(v[i] - m); s += v[i] }
        let inv = 1 / s
        for i in 0..<n { v[i] *= inv }
    }
}

#if canImport(Glibc)
import Glibc
#endif
