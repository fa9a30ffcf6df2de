/// A trained head: label names and a model over a store's vectors.
public final class ClassifierHead: @unchecked Sendable {
    /// The label names, in the order of the head's outputs.
    public let labels: [String]
    package let model: ClassifierModel
    let vectors: EmbeddingIndex

    init(labels: [String], model: ClassifierModel, vectors: EmbeddingIndex) {
        self.labels = labels
        self.model = model
        self.vectors = vectors
    }

    /// Rebuilds a head from saved parameters (see `parameters()`).
    convenience init(labels: [String], config: ClassifierConfig, vectors: EmbeddingIndex,
                     parameters p: [String: HeadParameter], path: String) throws {
        let model = ClassifierModel(config: config, labelCount: labels.count, vectors: vectors)
        func fill(_ name: String, _ dst: UnsafeMutableBufferPointer<Float>) throws {
            guard let src = p[name], src.floats.count == dst.count else {
                throw WordshiftError.notAStore(path: path, message: "head parameter \(name) is missing or has the wrong size")
            }
            _ = dst.update(fromContentsOf: src.floats)
        }
        try fill("output", model.w2); try fill("output_bias", model.b2)
        if config.hidden > 0 { try fill("hidden", model.w1); try fill("hidden_bias", model.b1) }
        guard let ids = p["input_ids"]?.ints, let rows = p["input_rows"]?.floats, rows.count == ids.count * model.dimension else {
            throw WordshiftError.notAStore(path: path, message: "head input rows are missing or have the wrong size")
        }
        let d = model.dimension
        for (k, r) in ids.enumerated() {
            guard r >= 0, Int(r) < model.rows else {
                throw WordshiftError.notAStore(path: path, message: "head input row id \(r) is out of range")
            }
            rows.withUnsafeBufferPointer { src in
                guard let start = src.baseAddress else { return }
                (model.inputBase + Int(r) * d).update(from: start + k * d, count: d)
            }
            model.touched[Int(r)] = true
        }
        self.init(labels: labels, model: model, vectors: vectors)
    }

    /// The arrays to persist: the output (and hidden) layers and the input rows training changed.
    func parameters() -> [HeadParameter] {
        let m = model, d = m.dimension
        var ids: [Int32] = []
        for r in m.firstTrainableRow..<m.rows where m.touched[r] { ids.append(Int32(r)) }
        var rows = [Float](repeating: 0, count: ids.count * d)
        rows.withUnsafeMutableBufferPointer { dst in
            guard let start = dst.baseAddress else { return }
            for (k, r) in ids.enumerated() { (start + k * d).update(from: m.inputBase + Int(r) * d, count: d) }
        }
        var out = [
            HeadParameter(name: "input_ids", rows: ids.count, cols: 1, ints: ids),
            HeadParameter(name: "input_rows", rows: ids.count, cols: d, floats: rows),
            HeadParameter(name: "output", rows: m.labelCount, cols: m.width, floats: Array(m.w2)),
            HeadParameter(name: "output_bias", rows: m.labelCount, cols: 1, floats: Array(m.b2)),
        ]
        if m.config.hidden > 0 {
            out.append(HeadParameter(name: "hidden", rows: m.config.hidden, cols: d, floats: Array(m.w1)))
            out.append(HeadParameter(name: "hidden_bias", rows: m.config.hidden, cols: 1, floats: Array(m.b1)))
        }
        return out
    }

    /// Input rows of each text.
    package func encode(_ texts: [String], threads: Int = Parallel.defaultThreads) -> EncodedDocs {
        let index = vectors
        return EncodedDocs.encode(texts, config: model.config.features, lookup: { index.id(of: $0) }, threads: threads)
    }

    /// Class probabilities, one row of `labels.count` per text.
    public func probabilities(_ texts: [String], threads: Int = Parallel.defaultThreads) -> [Float] {
        model.predict(encode(texts, threads: threads), threads: threads)
    }

    /// Best label id per text.
    public func predict(_ texts: [String], threads: Int = Parallel.defaultThreads) -> [Int] {
        let p = probabilities(texts, threads: threads)
        return (0..<texts.count).map { ArgMax.of(p, row: $0, width: labels.count) }
    }

    /// Metrics on labeled data (labels matched by name; unknown labels count as errors).
    public func evaluate(_ data: LabeledDataset, threads: Int = Parallel.defaultThreads) -> ClassificationMetrics {
        var names = labels
        for l in data.labels where !names.contains(l) { names.append(l) }
        let gold = data.relabeled(to: names).labelIDs
        return ClassificationMetrics(labels: names, gold: gold, predicted: predict(data.texts, threads: threads))
    }
}
