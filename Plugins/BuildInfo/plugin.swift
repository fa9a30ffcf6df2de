import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` (`let buildCommit: String?`) for the target it is applied to: the
/// git commit the sources were built from ("-dirty" when tracked files differ from it), or nil
/// when the build is not from a git checkout (a source tarball) or git is not installed.
///
/// The command's inputs are git's HEAD, index and current ref plus every source file of the
/// package, so it runs again after a commit, a checkout or an edit, and only then.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuildInfo.swift")
        var inputs = Self.gitStateFiles(root: root)
        for t in context.package.targets {
            guard let source = t as? SourceModuleTarget else { continue }
            inputs += source.sourceFiles.map(\.url)
        }
        let script = #"""
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || commit=""
            if [ -n "$commit" ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then commit="$commit-dirty"; fi
            if [ -n "$commit" ]; then value="\"$commit\""; else value="nil"; fi
            printf '// Generated at build time by Plugins/BuildInfo.\nlet buildCommit: String? = %s\n' "$value" > "$2.new"
            mv "$2.new" "$2"
            """#
        return [.buildCommand(displayName: "Build info: git commit of the sources",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script, "build-info", root.path, output.path],
                              inputFiles: inputs, outputFiles: [output])]
    }

    /// HEAD, index, the checked-out branch's ref and packed-refs of the checkout at `root`
    /// (a `.git` directory, or a `.git` file pointing to a worktree's git directory); none when
    /// `root` is not a git checkout.
    static func gitStateFiles(root: URL) -> [URL] {
        let fm = FileManager.default
        let dotGit = root.appendingPathComponent(".git")
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return [] }
        var gitDir = dotGit
        if !isDirectory.boolValue {
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") else { return [] }
            let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDir = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        }
        var common = gitDir
        if let text = try? String(contentsOf: gitDir.appendingPathComponent("commondir"), encoding: .utf8) {
            let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
            common = path.hasPrefix("/") ? URL(fileURLWithPath: path) : gitDir.appendingPathComponent(path)
        }
        var files = [gitDir.appendingPathComponent("HEAD"), gitDir.appendingPathComponent("index"),
                     common.appendingPathComponent("packed-refs")]
        if let head = try? String(contentsOf: gitDir.appendingPathComponent("HEAD"), encoding: .utf8), head.hasPrefix("ref:") {
            let ref = head.dropFirst("ref:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            files.append(common.appendingPathComponent(ref))
        }
        return files.filter { fm.fileExists(atPath: $0.path) }
    }
}
