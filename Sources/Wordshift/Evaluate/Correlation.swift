/// Rank and linear correlation, as scipy computes them (average ranks for ties).
package enum Correlation {
    /// NaN unless both have the same length > 1 and every value is finite.
    package static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard x.count == y.count, x.count > 1, x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return .nan }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
    }

    /// NaN unless every value is finite (a NaN has no rank).
    package static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { return .nan }
        return pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks, ties sharing their average rank.
    package static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var out = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for t in i...j { out[order[t]] = rank }
            i = j + 1
        }
        return out
    }
}
