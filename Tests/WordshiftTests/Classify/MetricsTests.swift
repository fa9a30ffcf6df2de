import Testing
@testable import Wordshift

@Suite struct ClassifyMetricsTests {
    /// gold \ predicted:  a  b  c
    ///   a                5  1  0
    ///   b                2  3  1
    ///   c                0  0  4
    @Test func handComputedConfusionMatrix() {
        let m = ClassificationMetrics(labels: ["a", "b", "c"], confusion: [[5, 1, 0], [2, 3, 1], [0, 0, 4]])
        #expect(m.count == 16)
        #expect(abs(m.accuracy - 12.0 / 16) < 1e-12)
        // a: P 5/7, R 5/6; b: P 3/4, R 3/6; c: P 4/5, R 4/4
        let f = [2 * (5.0 / 7) * (5.0 / 6) / (5.0 / 7 + 5.0 / 6), 2 * 0.75 * 0.5 / 1.25, 2 * 0.8 / 1.8]
        #expect(abs(m.perLabel[0].precision - 5.0 / 7) < 1e-12)
        #expect(abs(m.perLabel[1].recall - 0.5) < 1e-12)
        #expect(abs(m.perLabel[2].f1 - f[2]) < 1e-12)
        #expect(abs(m.macroF1 - f.reduce(0, +) / 3) < 1e-12)
        #expect(m.perLabel.map(\.support) == [6, 6, 4])
    }

    @Test func fromPredictionsAndUnpredictedLabel() {
        let m = ClassificationMetrics(labels: ["x", "y"], gold: [0, 0, 1, 1, -1], predicted: [0, 0, 0, 0, 1])
        #expect(m.confusion == [[2, 0], [2, 0]])
        #expect(m.perLabel[1].precision == 0 && m.perLabel[1].f1 == 0)
        #expect(m.accuracy == 0.5)
    }
}
