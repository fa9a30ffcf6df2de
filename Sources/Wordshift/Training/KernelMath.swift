#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Lane-wise helpers for the training kernels.
enum KernelMath {
    /// Lane-wise square root as two `sqrtps` (SSE, part of baseline x86-64). The standard
    /// library's `SIMD8<Float>.squareRoot()` compiles (Swift 6.3.1, -O, with or without
    /// -target-cpu) to eight scalar `sqrtss`, each guarded by a branch to libm's `sqrtf`, which
    /// is what the GloVe AdaGrad step spends much of its arithmetic on (26 of them per pair at
    /// 100 dimensions). Results are identical (IEEE square root is correctly rounded both ways).
    @inline(__always)
    static func squareRoot(_ v: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(x86_64)
        return SIMD8(lowHalf: _mm_sqrt_ps(v.lowHalf), highHalf: _mm_sqrt_ps(v.highHalf))
        #else
        return v.squareRoot()
        #endif
    }
}
