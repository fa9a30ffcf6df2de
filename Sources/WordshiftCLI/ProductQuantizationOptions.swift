import ArgumentParser
import Wordshift

/// The product-quantization options `quantize --to pq` and `import --quantize pq` share. Each is
/// optional, so that a command can refuse any of them given without pq (the default values
/// included: `--seed 1` with int8 is refused like `--seed 2`).
struct ProductQuantizationOptions: ParsableArguments {
    @Option(name: .long, help: "pq: subvectors per row, a divisor of the dimension (default: dimension / 3, else / 4).",
            transform: Flags.integer(1...)) var subquantizers: Int?
    @Option(name: .long, help: "pq: seed of the k-means sample and of k-means++ (default: \(ProductQuantizer.TrainingOptions().seed)).")
    var seed: UInt64?
    @Flag(name: .long, inversion: .prefixedNo,
          help: "pq: optimized PQ (a variance-balancing rotation before quantizing). (default: --\(ProductQuantizer.TrainingOptions().optimized ? "" : "no-")opq)")
    var opq: Bool?

    /// True when any of them was given.
    var anyGiven: Bool { subquantizers != nil || seed != nil || opq != nil }

    /// `training` with the options given; the others keep its values.
    func applied(to training: ProductQuantizer.TrainingOptions) -> ProductQuantizer.TrainingOptions {
        var t = training
        t.subquantizers = subquantizers
        if let seed { t.seed = seed }
        if let opq { t.optimized = opq }
        return t
    }
}
