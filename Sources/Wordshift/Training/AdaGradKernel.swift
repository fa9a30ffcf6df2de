/// One GloVe AdaGrad step on one co-occurrence, on float32 with SIMD8 lanes. Both vectors are
/// read before either is written. A vector component's step is eta·f(x)·diff·w clipped to
/// ±clip, and the squared sums collect those steps (the reference's current release clips
/// before scaling by eta; at the default clip of 100 neither form binds on these objectives).
/// The biases step by `biasRate`·f(x)·diff: 1 in the reference's current release, whose
/// learning rate scales only the vectors; eta in its earlier releases. A step whose error is
/// NaN or infinite is skipped. With finite clipped gradients and sums ≥ 1, every applied
/// update is finite.
enum AdaGradKernel {
    typealias V8 = SIMD8<Float>

    /// Returns the cost of the pair before the update (0.5 · f(x) · diff²), or 0 when skipped.
    @inline(__always)
    static func step(_ r1: UnsafeMutablePointer<Float>, _ r2: UnsafeMutablePointer<Float>, stride: Int,
                     pair: TrainingPair, eta: Float, clip: Float, biasRate: Float) -> Float {
        let a1 = UnsafeMutableRawPointer(r1), a2 = UnsafeMutableRawPointer(r2)
        let lanes = stride / 8
        var acc0 = V8(repeating: 0), acc1 = V8(repeating: 0)
        var c = 0
        while c + 1 < lanes {
            acc0 = a1.loadUnaligned(fromByteOffset: c * 32, as: V8.self) * a2.loadUnaligned(fromByteOffset: c * 32, as: V8.self) + acc0
            acc1 = a1.loadUnaligned(fromByteOffset: c * 32 + 32, as: V8.self) * a2.loadUnaligned(fromByteOffset: c * 32 + 32, as: V8.self) + acc1
            c += 2
        }
        if c < lanes {
            acc0 = a1.loadUnaligned(fromByteOffset: c * 32, as: V8.self) * a2.loadUnaligned(fromByteOffset: c * 32, as: V8.self) + acc0
        }
        let bias = 2 * stride
        let diff = (acc0 + acc1).sum() + r1[bias] + r2[bias] - pair.logValue
        let fdiff = pair.weight * diff
        guard fdiff.isFinite else { return 0 }
        let cost = 0.5 * fdiff * diff
        let f = V8(repeating: fdiff * eta)
        let hi = V8(repeating: clip), lo = V8(repeating: -clip)
        let gOffset = stride * 4
        for c in 0..<lanes {
            let o = c * 32
            let w1 = a1.loadUnaligned(fromByteOffset: o, as: V8.self)
            let w2 = a2.loadUnaligned(fromByteOffset: o, as: V8.self)
            let g1 = a1.loadUnaligned(fromByteOffset: gOffset + o, as: V8.self)
            let g2 = a2.loadUnaligned(fromByteOffset: gOffset + o, as: V8.self)
            var t1 = f * w2
            var t2 = f * w1
            t1 = t1.replacing(with: hi, where: t1 .> hi).replacing(with: lo, where: t1 .< lo)
            t2 = t2.replacing(with: hi, where: t2 .> hi).replacing(with: lo, where: t2 .< lo)
            a1.storeBytes(of: w1 - t1 / KernelMath.squareRoot(g1), toByteOffset: o, as: V8.self)
            a2.storeBytes(of: w2 - t2 / KernelMath.squareRoot(g2), toByteOffset: o, as: V8.self)
            a1.storeBytes(of: t1 * t1 + g1, toByteOffset: gOffset + o, as: V8.self)
            a2.storeBytes(of: t2 * t2 + g2, toByteOffset: gOffset + o, as: V8.self)
        }
        let gb = fdiff * biasRate
        r1[bias] -= gb / r1[bias + 1].squareRoot()
        r2[bias] -= gb / r2[bias + 1].squareRoot()
        r1[bias + 1] += gb * gb
        r2[bias + 1] += gb * gb
        return cost
    }
}

extension AdaGradKernel {
    /// The Mittens penalty coef · |row + partner − target|² as a proximal step on `row`, with the
    /// row's own AdaGrad step sizes eta / √G (G after the GloVe update; the penalty does not add
    /// to G). Per component: row ← (row + k (target − partner)) / (1 + k), k = 2 · coef · eta / √G.
    /// Stable for any coef ≥ 0: a very large coef puts row + partner on the target. `partner`
    /// is the other half of the output vector (the context row of the same word), or nil when
    /// the output is the word vector alone.
    @inline(__always)
    static func anchor(_ row: UnsafeMutablePointer<Float>, partner: UnsafePointer<Float>?, target: UnsafePointer<Float>,
                       stride: Int, coef: Float, eta: Float) {
        let a = UnsafeMutableRawPointer(row), t = UnsafeRawPointer(target)
        let gOffset = stride * 4
        let c2 = V8(repeating: 2 * coef * eta), one = V8(repeating: 1)
        if let partner {
            let p = UnsafeRawPointer(partner)
            for c in 0..<(stride / 8) {
                let o = c * 32
                let w = a.loadUnaligned(fromByteOffset: o, as: V8.self)
                let g = a.loadUnaligned(fromByteOffset: gOffset + o, as: V8.self)
                let k = c2 / KernelMath.squareRoot(g)
                let goal = t.loadUnaligned(fromByteOffset: o, as: V8.self) - p.loadUnaligned(fromByteOffset: o, as: V8.self)
                a.storeBytes(of: (w + k * goal) / (one + k), toByteOffset: o, as: V8.self)
            }
        } else {
            for c in 0..<(stride / 8) {
                let o = c * 32
                let w = a.loadUnaligned(fromByteOffset: o, as: V8.self)
                let g = a.loadUnaligned(fromByteOffset: gOffset + o, as: V8.self)
                let k = c2 / KernelMath.squareRoot(g)
                a.storeBytes(of: (w + k * t.loadUnaligned(fromByteOffset: o, as: V8.self)) / (one + k), toByteOffset: o, as: V8.self)
            }
        }
    }
}
