#if canImport(Glibc)
import Glibc
#endif

/// Class priors of a target domain, estimated without its labels.
///
/// A head trained with class prior π_s gives posteriors p_s(y | x). If the target differs only
/// in its class prior π_t (p(x | y) unchanged), Bayes' rule gives the target posteriors
/// p_t(y | x) ∝ p_s(y | x) · π_t(y) / π_s(y), and π_t is the mean of those posteriors over the
/// target documents. `estimate` solves both at once by expectation–maximisation (Saerens,
/// Latinne & Decaestecker, "Adjusting the outputs of a classifier to new a priori
/// probabilities", Neural Computation 14, 2002). The estimate is as good as the posteriors are
/// calibrated; `temperature` calibrates a head's probabilities on labeled data first.
public enum LabelPrior {
    /// Where the target class prior of the pseudo-labels comes from.
    public enum Estimator: String, Sendable, Codable, CaseIterable {
        /// Assume a balanced target (the median cut for two classes).
        case balanced
        /// EM re-estimation from the teachers' mean posteriors (`estimate`): exact under pure
        /// label shift, biased when the teachers' posteriors are shifted by the domain too.
        case em
        /// The weight of the upper component of a two-Gaussian mixture fitted to the teachers'
        /// summed standardised margin (`mixtureShare`; two classes only, else balanced). Reads the
        /// shape of the margin distribution, not the teachers' calibration.
        case mixture
        /// Confusion-corrected prediction shares of a source head (``TargetPrior``, black-box
        /// shift estimation): reads only the head's decisions and its held-out error rates.
        case confusion
    }

    /// Most EM iterations; the loop stops earlier once no prior moves by more than `tolerance`.
    public static let maximumIterations = 1000
    /// EM stops when no class prior moves by more than this in an iteration.
    public static let tolerance = 1e-7

    /// The uniform prior over `classes` (the effective training prior of a head trained with
    /// `balanceClasses`, which weighs every class equally).
    public static func uniform(_ classes: Int) -> [Double] {
        [Double](repeating: 1 / Double(max(1, classes)), count: max(0, classes))
    }

    /// EM re-estimation of the target prior from `probabilities` (rows of `classes`, one per
    /// unlabeled target document) of a head trained with prior `trainingPrior`. Returns
    /// `trainingPrior` (normalised) when there is nothing to estimate from.
    public static func estimate(probabilities: [Float], classes: Int, trainingPrior: [Double]) -> [Double] {
        let L = classes
        guard L >= 1, trainingPrior.count == L, probabilities.count % L == 0 else { return uniform(L) }
        let train = normalised(trainingPrior)
        let n = probabilities.count / L
        guard n > 0, L > 1 else { return train }
        var prior = train
        var next = [Double](repeating: 0, count: L)
        var row = [Double](repeating: 0, count: L)
        for _ in 0..<maximumIterations {
            for c in 0..<L { next[c] = 0 }
            let ratio = (0..<L).map { train[$0] > 0 ? prior[$0] / train[$0] : 0 }
            for i in 0..<n {
                var sum = 0.0
                for c in 0..<L {
                    let p = Double(probabilities[i * L + c])
                    row[c] = (p.isFinite ? max(0, p) : 0) * ratio[c]
                    sum += row[c]
                }
                guard sum > 0 else { continue }
                for c in 0..<L { next[c] += row[c] / sum }
            }
            let total = next.reduce(0, +)
            guard total > 0 else { return prior }
            var moved = 0.0
            for c in 0..<L {
                let v = next[c] / total
                moved = max(moved, abs(v - prior[c]))
                prior[c] = v
            }
            if moved <= tolerance { break }
        }
        return prior
    }

    /// The prior π that solves `confusion`·π = `predictedShares` (``TargetPrior``): `confusion[p][g]`
    /// is P(predicted p | true g), `predictedShares[p]` the share of target documents predicted p.
    /// Negative solutions are clipped to 0 and the result renormalised; a singular confusion
    /// matrix (a head no better than chance) gives the predicted shares themselves.
    public static func confusionCorrected(predictedShares q: [Double], confusion: [[Double]]) -> [Double] {
        let L = q.count
        guard L >= 1, confusion.count == L, confusion.allSatisfy({ $0.count == L }) else { return normalised(q) }
        // Gaussian elimination with partial pivoting on [C | q].
        var a = (0..<L).map { r in confusion[r] + [q[r]] }
        for col in 0..<L {
            var pivot = col
            for r in col..<L where abs(a[r][col]) > abs(a[pivot][col]) { pivot = r }
            guard abs(a[pivot][col]) > 1e-9, a[pivot][col].isFinite else { return normalised(q) }
            a.swapAt(col, pivot)
            for r in 0..<L where r != col {
                let f = a[r][col] / a[col][col]
                if f != 0 { for k in col...L { a[r][k] -= f * a[col][k] } }
            }
        }
        let solution = (0..<L).map { a[$0][L] / a[$0][$0] }
        return normalised(solution.map { $0.isFinite ? max(0, $0) : 0 })
    }

    /// Posteriors moved from prior `from` to prior `to` (rows of `classes`):
    /// p'(y | x) ∝ p(y | x) · to(y) / from(y).
    public static func adjust(probabilities: [Float], classes: Int, from: [Double], to: [Double]) -> [Float] {
        let L = classes
        guard L >= 1, from.count == L, to.count == L, probabilities.count % L == 0 else { return probabilities }
        let a = normalised(from), b = normalised(to)
        let ratio = (0..<L).map { a[$0] > 0 ? b[$0] / a[$0] : 0 }
        var out = probabilities
        for i in 0..<(probabilities.count / L) {
            var sum = 0.0
            for c in 0..<L { sum += Double(max(0, probabilities[i * L + c])) * ratio[c] }
            guard sum > 0 else { continue }
            for c in 0..<L { out[i * L + c] = Float(Double(max(0, probabilities[i * L + c])) * ratio[c] / sum) }
        }
        return out
    }

    /// The softmax temperature T that minimises the negative log-likelihood of `gold` under
    /// the probabilities re-scaled as softmax(log p / T) (temperature scaling, Guo et al. 2017),
    /// searched on a log grid and refined by golden-section search over T ∈ [0.05, 20].
    /// 1 when there is no labeled row.
    public static func temperature(probabilities: [Float], classes: Int, gold: [Int]) -> Double {
        let L = classes
        guard L >= 2, probabilities.count == gold.count * L, !gold.isEmpty else { return 1 }
        let logs = probabilities.map { log(max(Double($0), 1e-12)) }
        func nll(_ t: Double) -> Double {
            var total = 0.0
            for (i, g) in gold.enumerated() where g >= 0 && g < L {
                var m = -Double.infinity
                for c in 0..<L { m = max(m, logs[i * L + c] / t) }
                var s = 0.0
                for c in 0..<L { s += exp(logs[i * L + c] / t - m) }
                total -= logs[i * L + g] / t - m - log(s)
            }
            return total
        }
        var lo = log(0.05), hi = log(20.0)
        var best = 0.0, bestValue = nll(1)
        for k in 0...20 {
            let x = lo + (hi - lo) * Double(k) / 20
            let v = nll(exp(x))
            if v < bestValue { bestValue = v; best = x }
        }
        let step = (hi - lo) / 20
        lo = best - step; hi = best + step
        let phi = (5.0.squareRoot() - 1) / 2
        var x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo)
        var f1 = nll(exp(x1)), f2 = nll(exp(x2))
        for _ in 0..<40 {
            if f1 < f2 { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = nll(exp(x1)) }
            else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = nll(exp(x2)) }
        }
        let refined = (lo + hi) / 2
        return nll(exp(refined)) <= bestValue ? exp(refined) : exp(best)
    }

    /// Probabilities re-scaled as softmax(log p / temperature), rows of `classes`.
    public static func scaled(probabilities: [Float], classes: Int, temperature: Double) -> [Float] {
        let L = classes
        guard L >= 1, probabilities.count % L == 0, temperature.isFinite, temperature > 0 else { return probabilities }
        var out = probabilities
        for i in 0..<(probabilities.count / L) {
            var m = -Double.infinity
            var z = [Double](repeating: 0, count: L)
            for c in 0..<L { z[c] = log(max(Double(probabilities[i * L + c]), 1e-12)) / temperature; m = max(m, z[c]) }
            var s = 0.0
            for c in 0..<L { z[c] = exp(z[c] - m); s += z[c] }
            for c in 0..<L { out[i * L + c] = Float(z[c] / s) }
        }
        return out
    }

    /// The share of the upper component of a two-component Gaussian mixture fitted by EM to
    /// `values` (each component with its own mean and variance): for ensemble margins, the
    /// estimated share of the positive class. 0.5 when there are fewer than 4 finite values or
    /// they do not vary.
    public static func mixtureShare(_ values: [Double], iterations: Int = 500) -> Double {
        let x = values.filter(\.isFinite).sorted()
        let n = x.count
        guard n >= 4 else { return 0.5 }
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        guard variance > 1e-12 else { return 0.5 }
        let floor = variance * 1e-4
        var mu = [x[n / 4], x[(3 * n) / 4]], sigma2 = [variance / 2, variance / 2], weight = [0.5, 0.5]
        var r = [Double](repeating: 0, count: n)
        var last = -Double.infinity
        for _ in 0..<max(1, iterations) {
            // E step in log space: r_i = P(upper | x_i).
            var logLikelihood = 0.0
            for i in 0..<n {
                var l = [0.0, 0.0]
                for k in 0..<2 {
                    let d = x[i] - mu[k]
                    l[k] = log(max(weight[k], 1e-300)) - 0.5 * log(2 * Double.pi * sigma2[k]) - d * d / (2 * sigma2[k])
                }
                let m = max(l[0], l[1])
                let s = exp(l[0] - m) + exp(l[1] - m)
                r[i] = exp(l[1] - m) / s
                logLikelihood += m + log(s)
            }
            // M step.
            let w1 = r.reduce(0, +), w0 = Double(n) - w1
            guard w1 > 1e-9, w0 > 1e-9 else { break }
            var m0 = 0.0, m1 = 0.0
            for i in 0..<n { m1 += r[i] * x[i]; m0 += (1 - r[i]) * x[i] }
            mu = [m0 / w0, m1 / w1]
            var v0 = 0.0, v1 = 0.0
            for i in 0..<n { v1 += r[i] * (x[i] - mu[1]) * (x[i] - mu[1]); v0 += (1 - r[i]) * (x[i] - mu[0]) * (x[i] - mu[0]) }
            sigma2 = [max(v0 / w0, floor), max(v1 / w1, floor)]
            weight = [w0 / Double(n), w1 / Double(n)]
            if abs(logLikelihood - last) <= 1e-9 * abs(logLikelihood) { break }
            last = logLikelihood
        }
        return mu[1] >= mu[0] ? weight[1] : weight[0]
    }

    /// Per-class document counts that sum to `n` and follow `prior` as closely as whole numbers
    /// can (largest remainders).
    public static func quotas(_ prior: [Double], total n: Int) -> [Int] {
        let p = normalised(prior)
        guard !p.isEmpty, n > 0 else { return [Int](repeating: 0, count: p.count) }
        let exact = p.map { $0 * Double(n) }
        var q = exact.map { Int($0.rounded(.down)) }
        var left = n - q.reduce(0, +)
        let remainder: [Double] = (0..<p.count).map { exact[$0] - Double(q[$0]) }
        let order: [Int] = (0..<p.count).sorted { a, b in remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b }
        var k = 0
        while left > 0 && !order.isEmpty { q[order[k % order.count]] += 1; left -= 1; k += 1 }
        return q
    }

    /// `prior` scaled to sum 1 (non-finite or negative entries count as 0; all zero: uniform).
    public static func normalised(_ prior: [Double]) -> [Double] {
        let clean = prior.map { $0.isFinite && $0 > 0 ? $0 : 0 }
        let s = clean.reduce(0, +)
        return s > 0 ? clean.map { $0 / s } : uniform(prior.count)
    }
}

extension ClassifierHead {
    /// Moves the head's decisions from class prior `from` (what it was trained with; uniform for
    /// `balanceClasses`) to `to` by adding log(to / from) to the output bias, so that
    /// `probabilities` returns `LabelPrior.adjust` of the old ones. Changes this head in place.
    public func shiftPrior(from: [Double], to: [Double]) throws {
        let L = labels.count
        guard from.count == L, to.count == L else {
            throw WordshiftError.invalidArgument("priors of \(from.count) and \(to.count) classes for a head of \(L) labels")
        }
        let a = LabelPrior.normalised(from), b = LabelPrior.normalised(to)
        for c in 0..<L {
            // A class the new prior rules out gets a large negative bias, not −∞ (no NaN from softmax).
            let shift = a[c] > 0 && b[c] > 0 ? log(b[c] / a[c]) : -30
            model.b2[c] += Float(shift)
        }
    }
}
