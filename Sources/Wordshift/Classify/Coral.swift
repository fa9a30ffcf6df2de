/// CORAL (Sun, Feng & Saenko 2016): re-colour source features with the target covariance.
/// x' = (x − μs) · A + μt with A = (Cs + λI)^(-1/2) (Ct + λI)^(1/2).
public struct Coral: Sendable {
    /// Feature dimension d.
    public let dimension: Int
    /// The d × d re-colouring matrix A, row-major.
    public let transform: [Double]
    /// Mean of the source features (length d), subtracted before the transform.
    public let sourceMean: [Double]
    /// Mean of the target features (length d), added after the transform.
    public let targetMean: [Double]

    /// Fits from row-major features (n × d source, m × d target).
    public init(source: [Float], target: [Float], dimension d: Int, lambda: Double = 1) {
        dimension = d
        let (ms, cs) = Self.meanAndCovariance(source, d)
        let (mt, ct) = Self.meanAndCovariance(target, d)
        var rs = cs, rt = ct
        for i in 0..<d { rs[i * d + i] += lambda; rt[i * d + i] += lambda }
        let whiten = SymmetricEigen.function(rs, d) { 1 / max($0, 1e-12).squareRoot() }
        let colour = SymmetricEigen.function(rt, d) { max($0, 0).squareRoot() }
        var a = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for k in 0..<d { let w = whiten[i * d + k]; for j in 0..<d { a[i * d + j] += w * colour[k * d + j] } } }
        transform = a
        sourceMean = ms
        targetMean = mt
    }

    /// Mean and (population) covariance of row-major features.
    static func meanAndCovariance(_ x: [Float], _ d: Int) -> ([Double], [Double]) {
        let n = d > 0 ? x.count / d : 0
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { mean[j] += Double(x[r * d + j]) } }
        if n > 0 { for j in 0..<d { mean[j] /= Double(n) } }
        var cov = [Double](repeating: 0, count: d * d)
        var c = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for j in 0..<d { c[j] = Double(x[r * d + j]) - mean[j] }
            for i in 0..<d { let ci = c[i]; for j in i..<d { cov[i * d + j] += ci * c[j] } }
        }
        for i in 0..<d { for j in i..<d { cov[i * d + j] /= Double(max(1, n)); cov[j * d + i] = cov[i * d + j] } }
        return (mean, cov)
    }

    /// Applies the transform to row-major source features.
    public func apply(_ x: [Float]) -> [Float] {
        let d = dimension, n = d > 0 ? x.count / d : 0
        var out = [Float](repeating: 0, count: x.count)
        var c = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for j in 0..<d { c[j] = Double(x[r * d + j]) - sourceMean[j] }
            for j in 0..<d {
                var s = targetMean[j]
                for k in 0..<d { s += c[k] * transform[k * d + j] }
                out[r * d + j] = Float(s)
            }
        }
        return out
    }
}
