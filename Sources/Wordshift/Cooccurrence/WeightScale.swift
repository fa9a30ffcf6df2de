/// Co-occurrence weights are accumulated as integers in units of 1/`denominator`, where
/// `denominator` = lcm(1…window) (every 1/d is then exact). Integer sums do not depend on the
/// order of addition, so counting with any memory budget (dense table, runs, spills, merges)
/// gives bit-identical totals. For very wide windows, whose lcm would not fit, 1/d is rounded to
/// units of 2^-32 (still order-independent). Without distance weighting every unit is 1.
struct WeightScale: Sendable {
    let denominator: Int64
    /// `units[d]` is the weight at distance d (index 0 unused).
    let units: [Int64]

    init(window: Int, distanceWeighting: Bool) {
        guard distanceWeighting else {
            denominator = 1
            units = [Int64](repeating: 1, count: window + 1)
            return
        }
        var l: Int64 = 1
        var exact = true
        for d in 1...max(1, window) {
            let g = WeightScale.gcd(l, Int64(d))
            let (m, overflow) = (l / g).multipliedReportingOverflow(by: Int64(d))
            if overflow || m > (1 << 32) { exact = false; break }
            l = m
        }
        if !exact { l = 1 << 32 }
        denominator = l
        units = (0...window).map { d in d == 0 ? 0 : (l + Int64(d) / 2) / Int64(d) }
    }

    @inline(__always) func value(_ u: Int64) -> Double { Double(u) / Double(denominator) }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
}
