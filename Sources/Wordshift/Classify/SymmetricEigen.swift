/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (row-major,
/// Double). Enough for the d × d covariances of CORAL (d ≤ a few hundred).
enum SymmetricEigen {
    /// Returns eigenvalues and eigenvectors (column k of `vectors` belongs to value k).
    static func decompose(_ matrix: [Double], _ n: Int, sweeps: Int = 60) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<sweeps {
            var off = 0.0
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { off += a[p * n + q] * a[p * n + q] } }
            if off < 1e-22 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where abs(a[p * n + q]) > 1e-300 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }

    /// V diag(f(λ)) Vᵀ for a symmetric matrix.
    static func function(_ matrix: [Double], _ n: Int, _ f: (Double) -> Double) -> [Double] {
        let (values, v) = decompose(matrix, n)
        let fv = values.map(f)
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += v[i * n + k] * fv[k] * v[j * n + k] }
                out[i * n + j] = s
            }
        }
        return out
    }
}
