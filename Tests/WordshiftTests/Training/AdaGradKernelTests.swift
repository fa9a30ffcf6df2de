import Foundation
import Testing
@testable import Wordshift

/// One kernel step against the rule written out in double precision: vector steps
/// eta · f(x) · diff · w clipped, biases stepped by `biasRate` · f(x) · diff.
@Suite("Training: AdaGrad kernel")
struct AdaGradKernelTests {
    struct Row { var w: [Double]; var g: [Double]; var b: Double; var gb: Double }

    /// The documented rule for one pair, on plain arrays.
    static func expected(_ r1: Row, _ r2: Row, logX: Double, weight: Double, eta: Double, clip: Double,
                         biasRate: Double) -> (Row, Row, clipped: Int) {
        var a = r1, c = r2
        var dot = 0.0
        for d in 0..<a.w.count { dot += a.w[d] * c.w[d] }
        let diff = dot + a.b + c.b - logX
        let fdiff = weight * diff
        var clipped = 0
        for d in 0..<a.w.count {
            if abs(eta * fdiff * r2.w[d]) > clip { clipped += 1 }
            let t1 = min(max(eta * fdiff * r2.w[d], -clip), clip)
            let t2 = min(max(eta * fdiff * r1.w[d], -clip), clip)
            a.w[d] -= t1 / r1.g[d].squareRoot(); a.g[d] += t1 * t1
            c.w[d] -= t2 / r2.g[d].squareRoot(); c.g[d] += t2 * t2
        }
        let gb = fdiff * biasRate
        a.b -= gb / r1.gb.squareRoot(); a.gb += gb * gb
        c.b -= gb / r2.gb.squareRoot(); c.gb += gb * gb
        return (a, c, clipped)
    }

    @Test(arguments: [1.0, 0.05])
    func oneStepFollowsTheRule(biasRate: Double) {
        let dim = 10, stride = 16, rowFloats = 48
        var rng = SeededRandom(seed: 3)
        func row() -> Row {
            Row(w: (0..<dim).map { _ in Double(rng.nextUnitFloat() - 0.5) },
                g: (0..<dim).map { _ in 1 + Double(rng.nextUnitFloat()) * 3 },
                b: Double(rng.nextUnitFloat() - 0.5), gb: 1 + Double(rng.nextUnitFloat()))
        }
        let r1 = row(), r2 = row()
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * rowFloats)
        defer { buffer.deallocate() }
        func store(_ r: Row, at p: UnsafeMutablePointer<Float>) {
            p.initialize(repeating: 0, count: rowFloats)
            for d in stride..<(2 * stride) { p[d] = 1 }
            for d in 0..<dim { p[d] = Float(r.w[d]); p[stride + d] = Float(r.g[d]) }
            p[2 * stride] = Float(r.b); p[2 * stride + 1] = Float(r.gb)
        }
        store(r1, at: buffer); store(r2, at: buffer + rowFloats)
        // x = 3 (weight < 1 below x_max 10); a clip of 0.005 binds on some components.
        let pair = TrainingPair(word: 0, context: 0, value: 3, xMax: 10, alpha: 0.75)
        let cost = AdaGradKernel.step(buffer, buffer + rowFloats, stride: stride, pair: pair,
                                      eta: 0.05, clip: 0.005, biasRate: Float(biasRate))
        let (e1, e2, clipped) = Self.expected(r1, r2, logX: Double(pair.logValue), weight: Double(pair.weight),
                                     eta: 0.05, clip: 0.005, biasRate: biasRate)
        #expect(cost > 0)
        #expect(clipped > 0 && clipped < dim)
        for (got, want) in [(buffer, e1), (buffer + rowFloats, e2)] {
            for d in 0..<dim {
                #expect(abs(Double(got[d]) - want.w[d]) < 1e-5)
                #expect(abs(Double(got[stride + d]) - want.g[d]) < 1e-5)
            }
            #expect(abs(Double(got[2 * stride]) - want.b) < 1e-5)
            #expect(abs(Double(got[2 * stride + 1]) - want.gb) < 1e-4)
            #expect(got[dim] == 0 && got[stride + dim] == 1)
        }
        // The two rules differ in the bias step: 1 moves the bias 20 times as far at first.
        let moved = abs(Double(buffer[2 * stride]) - r1.b)
        #expect(biasRate == 1 ? moved > 0.05 : moved < 0.05)
    }
}
