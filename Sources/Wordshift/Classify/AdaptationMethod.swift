/// How ``DomainAdapter`` carries a classifier from a labeled source domain to a target domain
/// that has only unlabeled text.
public enum AdaptationMethod: String, CaseIterable, Codable, Sendable {
    /// A head trained on the source data alone (the baseline).
    case sourceOnly = "source-only"
    /// A frozen head over vectors adapted to the target text (Mittens), SIF-weighted.
    case embeddings
    /// Heads over the adapted vectors label the target text; a student head over the adapted
    /// vectors learns from those pseudo-labels (the best method of BENCHMARKS §5).
    case embeddingsSelfTrain = "embeddings+self-train"
    /// Iterated, class-balanced self-training from the source-only head.
    case selfTrain = "self-train"
    /// The source-only head over target features re-coloured to the source statistics
    /// (CORAL), folded into the head's output layer.
    case coral
    /// Gradient reversal against a domain classifier on the averaged input.
    case adversarial
    /// Chooses a method without target labels: source-only and every candidate method
    /// (`DomainAdapter.Options.autoCandidates`) are trained and scored by reverse validation
    /// (``AdaptationEstimate``); the first candidate in preference order that is not predicted to
    /// hurt (significantly below source-only) is kept, otherwise source-only.
    case auto

    /// Whether the method needs vectors adapted to the target text (a Mittens run).
    /// (`.auto`: yes, its default candidates include the methods that do.)
    public var usesAdaptedVectors: Bool { self == .embeddings || self == .embeddingsSelfTrain || self == .auto }

    /// The methods that train one head (every case but `.auto`).
    public static var concrete: [AdaptationMethod] { allCases.filter { $0 != .auto } }

    /// The name shown in reports.
    public var title: String {
        switch self {
        case .sourceOnly: return "source-only"
        case .embeddings: return "embeddings"
        case .embeddingsSelfTrain: return "embeddings + self-train"
        case .selfTrain: return "self-train"
        case .coral: return "coral"
        case .adversarial: return "adversarial"
        case .auto: return "auto"
        }
    }
}
