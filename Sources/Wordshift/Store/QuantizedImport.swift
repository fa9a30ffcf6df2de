extension VectorImport {
    /// Imports `file` straight into a quantized store at `store` (`float16`, `int8` or `pq`, as
    /// `wordshift quantize` writes them): the file is read into a float32 store beside `store`
    /// (a temporary file, removed afterwards and on interruption), which is then re-encoded by
    /// ``StoreQuantizer/quantize(_:to:out:training:progress:)``. `training` applies to `pq`. The
    /// store appears only when complete; `.float32` is a plain import.
    public static func importFile(_ file: String, to store: String, quantize encoding: VectorEncoding,
                                  training: ProductQuantizer.TrainingOptions = ProductQuantizer.TrainingOptions(),
                                  options: LoadOptions = LoadOptions(), progress: ProgressHandler? = nil) throws -> Summary {
        guard encoding != .float32 else { return try importFile(file, to: store, options: options, progress: progress) }
        let started = System.now()
        let float32 = System.temporarySibling(of: store)
        TemporaryFiles.register(float32)
        defer { TemporaryFiles.remove(float32) }
        var summary = try importFile(file, to: float32, options: options, progress: progress)
        var quantized = try StoreQuantizer.quantize(float32, to: encoding, out: store, training: training, progress: progress)
        quantized.source = file
        summary.store = store
        summary.quantized = quantized
        summary.seconds = System.now() - started
        return summary
    }
}
