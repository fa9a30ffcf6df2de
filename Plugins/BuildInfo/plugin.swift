import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` (`let buildCommit: String?`) for the target it is applied to: the
/// git commit the sources were built from ("-dirty" when tracked files differ from it), or nil
/// when the build is not from a git checkout (a source tarball) or git is not installed. The file
/// is rewritten only when its content changes, so an unchanged checkout recompiles nothing.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let out = context.pluginWorkDirectoryURL.appendingPathComponent("generated")
        let script = #"""
            dir="$1"; out="$2"; mkdir -p "$out"
            commit=$(git -C "$dir" rev-parse --short=12 HEAD 2>/dev/null) || commit=""
            if [ -n "$commit" ] && ! git -C "$dir" diff --quiet HEAD -- 2>/dev/null; then commit="$commit-dirty"; fi
            if [ -n "$commit" ]; then value="\"$commit\""; else value="nil"; fi
            printf '// Generated at build time by Plugins/BuildInfo.\nlet buildCommit: String? = %s\n' "$value" > "$out/.BuildInfo.new"
            if cmp -s "$out/.BuildInfo.new" "$out/BuildInfo.swift"; then rm -f "$out/.BuildInfo.new"; else mv "$out/.BuildInfo.new" "$out/BuildInfo.swift"; fi
            """#
        return [.prebuildCommand(displayName: "Build info: git commit of the sources",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "build-info", context.package.directoryURL.path, out.path],
                                 outputFilesDirectory: out)]
    }
}
