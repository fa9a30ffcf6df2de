/// The version of this build of Wordshift: the one place it is written. Stores record it in
/// their `tool_version` meta entry; `wordshift --version` prints it with the git commit the
/// binary was built from, when known.
public enum WordshiftVersion {
    /// Semantic version, e.g. "0.1.0".
    public static let string = "0.1.0"
}
