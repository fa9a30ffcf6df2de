import Testing
@testable import Wordshift

@Suite struct ClassifyCoralTests {
    /// Source points (±1, ±2) have covariance diag(1, 4); target (±3, ±1) + (10, 0) has diag(9, 1).
    /// With λ the closed form is A = diag(√((9+λ)/(1+λ)), √((1+λ)/(4+λ))).
    @Test func diagonalCaseMatchesClosedForm() {
        let source: [Float] = [1, 2, -1, -2, 1, -2, -1, 2]
        let target: [Float] = [13, 1, 7, -1, 13, -1, 7, 1]
        let lambda = 1.0
        let c = Coral(source: source, target: target, dimension: 2, lambda: lambda)
        #expect(abs(c.transform[0] - ((9 + lambda) / (1 + lambda)).squareRoot()) < 1e-9)
        #expect(abs(c.transform[3] - ((1 + lambda) / (4 + lambda)).squareRoot()) < 1e-9)
        #expect(abs(c.transform[1]) < 1e-9 && abs(c.transform[2]) < 1e-9)
        let moved = c.apply([1, 2])
        #expect(abs(moved[0] - Float(10 + ((9 + lambda) / (1 + lambda)).squareRoot())) < 1e-5)
    }

    /// With λ → 0 the re-coloured source has exactly the target's mean and covariance.
    @Test func correlatedFeaturesTakeTargetStatistics() {
        var rng = SeededRandom(seed: 9)
        func noise() -> Float { rng.nextUnitFloat() * 2 - 1 }
        var source: [Float] = [], target: [Float] = []
        for _ in 0..<400 {
            let a = noise(), b = noise(), c = noise()
            source += [a, a + 0.5 * b, c * 2]
            target += [3 + b, -a + 0.2 * c, a * 0.5 + c]
        }
        let coral = Coral(source: source, target: target, dimension: 3, lambda: 1e-9)
        let (m1, c1) = Coral.meanAndCovariance(coral.apply(source), 3)
        let (m2, c2) = Coral.meanAndCovariance(target, 3)
        for j in 0..<3 { #expect(abs(m1[j] - m2[j]) < 1e-4) }
        for k in 0..<9 { #expect(abs(c1[k] - c2[k]) < 1e-4, "cov[\(k)] \(c1[k]) vs \(c2[k])") }
    }

    @Test func symmetricEigenReconstructs() {
        let m: [Double] = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 1]
        let sq = SymmetricEigen.function(m, 3) { $0.squareRoot() }
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0
                for k in 0..<3 { s += sq[i * 3 + k] * sq[k * 3 + j] }
                #expect(abs(s - m[i * 3 + j]) < 1e-10)
            }
        }
    }
}
