/// How an adapted head was made, saved with it (`HeadStore`, table `head_provenance`) and shown
/// by `wordshift classify list` / `classify info`.
public struct AdaptationProvenance: Codable, Sendable, Equatable {
    /// One input of the run.
    public struct Input: Codable, Sendable, Equatable {
        /// The file (or a description of in-memory data).
        public var name: String
        /// SHA-256 of the file's bytes as stored (a `.gz` is hashed compressed); nil for
        /// in-memory data.
        public var fileSHA256: String?
        /// SHA-256 of the documents as used (each followed by a newline; labels not included).
        public var textSHA256: String
        /// Documents used.
        public var documents: Int

        /// An input described by its documents; `fileSHA256` is filled by ``hashingFile()``.
        public init(name: String, fileSHA256: String? = nil, texts: [String]) {
            self.name = name
            self.fileSHA256 = fileSHA256
            let h = SHA256Hasher()
            for t in texts { h.update(t); h.update("\n") }
            textSHA256 = h.finalize()
            documents = texts.count
        }

        /// The same input with the SHA-256 of the file `name` (for inputs read from files).
        public func hashingFile() throws -> Input {
            var copy = self
            copy.fileSHA256 = try SHA256Hasher.hashFile(name)
            return copy
        }
    }

    /// The method that made the head.
    public var method: AdaptationMethod
    /// The labeled source data (one entry per file).
    public var sources: [Input]
    /// The unlabeled target text.
    public var target: Input
    /// Labeled target examples used for training (few-shot), if any.
    public var targetLabeled: Input?
    /// Every option of the run (``DomainAdapter/Options/settings``).
    public var settings: [String: String]
    /// The vector set the head predicts over and how it was made (nil: the store's vectors).
    public var vectorSet: String?
    /// The settings of that vector set (`AdaptedVectors.Key`), nil with the store's vectors.
    public var vectorSettings: [String: String]?
    /// Wordshift version that made the head.
    public var toolVersion: String

    /// A record of one run.
    public init(method: AdaptationMethod, sources: [Input], target: Input, targetLabeled: Input? = nil,
                settings: [String: String], vectorSet: String? = nil, vectorSettings: [String: String]? = nil,
                toolVersion: String = WordshiftVersion.string) {
        self.method = method
        self.sources = sources
        self.target = target
        self.targetLabeled = targetLabeled
        self.settings = settings
        self.vectorSet = vectorSet
        self.vectorSettings = vectorSettings
        self.toolVersion = toolVersion
    }
}
