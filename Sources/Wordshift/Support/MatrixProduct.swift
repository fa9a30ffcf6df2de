import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// C = A · Bᵀ for row-major float matrices: the product behind batched nearest-neighbour
/// queries (queries × rows of the unit matrix).
///
/// Two implementations: Wordshift's own blocked kernel (`CKernels/sgemm_nt.c`: packed panels,
/// register tiles, AVX-512F / AVX2+FMA / portable micro-kernels chosen at run time, split over
/// threads here), and OpenBLAS's `cblas_sgemm` when the machine has `libopenblas.so.0`. OpenBLAS
/// is looked up with `dlopen`, never linked, so building needs no BLAS headers.
/// `WORDSHIFT_OPENBLAS=0` in the environment keeps OpenBLAS out even when it is installed.
package enum MatrixProduct {
    package enum Backend: String, Sendable, CaseIterable {
        /// Wordshift's own SIMD kernel.
        case builtin
        /// OpenBLAS, loaded at run time.
        case openBLAS = "openblas"
    }

    /// The backend used when a caller does not choose: OpenBLAS when it loads and the
    /// environment does not turn it off, else the built-in kernel. Decided once per process.
    package static let defaultBackend: Backend = backend(environment: getenv("WORDSHIFT_OPENBLAS").map { String(cString: $0) },
                                                         openBLASPresent: { ckernels_openblas_available() == 1 })

    /// The rule behind `defaultBackend`: `0`, `off`, `no` or `false` turn OpenBLAS off; anything
    /// else (or nothing) uses it when present. `openBLASPresent` is only asked when it matters.
    package static func backend(environment value: String?, openBLASPresent: () -> Bool) -> Backend {
        if let v = value?.lowercased(), ["0", "off", "no", "false"].contains(v) { return .builtin }
        return openBLASPresent() ? .openBLAS : .builtin
    }

    /// Whether OpenBLAS loads on this machine (looked up once).
    package static var openBLASAvailable: Bool { ckernels_openblas_available() == 1 }

    /// The built-in kernel's instruction set on this CPU: "avx512", "avx2" or "portable".
    package static var builtinKernel: String {
        switch ckernels_sgemm_level() {
        case 2: "avx512"
        case 1: "avx2"
        default: "portable"
        }
    }

    /// Describes what `multiplyTransposed` runs by default, e.g. "openblas" or "builtin-avx512".
    package static var defaultDescription: String {
        defaultBackend == .openBLAS ? "openblas" : "builtin-\(builtinKernel)"
    }

    /// `c[i * n + j] = Σₖ a[i * d + k] · b[j * d + k]` for i < m, j < n. `a` holds m rows, `b`
    /// at least n rows and `c` m × n values, all of length-d rows. The built-in kernel runs on
    /// `threads` threads over column ranges; OpenBLAS uses its own threads. `level` (built-in
    /// only, for tests) forces a micro-kernel: 0 portable, 1 AVX2, 2 AVX-512 (lowered to what
    /// the CPU has).
    package static func multiplyTransposed(m: Int, n: Int, d: Int,
                                           a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                           threads: Int = Parallel.defaultThreads,
                                           backend: Backend = defaultBackend, level: Int = -1) {
        precondition(m >= 0 && n >= 0 && d >= 0, "matrix sizes must not be negative")
        if m == 0 || n == 0 { return }
        if backend == .openBLAS,
           ckernels_openblas_sgemm_nt(m, n, d, a, d, b, d, c, n) == 0 {
            return
        }
        let t = max(1, min(threads, n / 256))
        let status = SharedPointer(UnsafeMutablePointer<Int32>.allocate(capacity: t))
        defer { status.base.deallocate() }
        let ap = SharedPointer(UnsafeMutablePointer(mutating: a)), bp = SharedPointer(UnsafeMutablePointer(mutating: b))
        let cp = SharedPointer(c)
        Parallel.run(threads: t) { w in
            let lo = n * w / t, hi = n * (w + 1) / t
            status[w] = hi > lo
                ? ckernels_sgemm_nt(m, hi - lo, d, ap.base, d, bp.base + lo * d, d, cp.base + lo, n, Int32(level))
                : 0
        }
        for w in 0..<t where status[w] != 0 {
            fatalError("MatrixProduct: out of memory for the packing buffers")
        }
    }
}
