#if canImport(Glibc)
import Glibc
#endif

/// The checks a command makes on a file it is about to write, before any work starts:
///
/// - the directory it goes in exists and is writable (so a missing directory is reported at
///   once, not after an hour of training, naming a temporary file);
/// - it is not a directory;
/// - it does not exist yet, unless the user said `--force`;
/// - it is none of the command's own inputs, even with `--force`: the same file under another
///   name (`./a.txt`, a hard link, a symbolic link) is caught too, because files are compared
///   by device and inode, not by name.
///
/// Outputs are written under a temporary name and renamed into place, so a refused or failed
/// command leaves an existing file untouched.
package enum OutputPath {
    /// Throws unless `path` may be written. `inputs` are the files the command reads (`-` and
    /// paths that do not exist are ignored; directories stand for the files under them).
    package static func check(_ path: String, force: Bool, inputs: [String] = [], flag: String = "--out") throws {
        guard !path.isEmpty, path != "-" else {
            throw WordshiftError.invalidArgument("\(flag) needs a file name (standard output is not supported here)")
        }
        let directory = parent(of: path)
        guard System.isDirectory(directory) else {
            throw WordshiftError.io(path: path, message: "cannot write here: the directory \(directory) does not exist")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw WordshiftError.io(path: path, message: "cannot write here: the directory \(directory) is not writable")
        }
        guard let target = identity(path) else { return }  // a new file
        if System.isDirectory(path) {
            throw WordshiftError.io(path: path, message: "is a directory; \(flag) needs a file name")
        }
        for input in inputs where input != "-" {
            for file in expand(input) where identity(file) == target {
                let same = file == path ? "" : " (\(file) is the same file)"
                throw WordshiftError.invalidArgument("\(flag) \(path) is one of this command's inputs\(same); "
                    + "writing it would destroy the input: choose another \(flag)")
            }
        }
        if !force {
            throw WordshiftError.invalidArgument("\(path) exists; pass --force to replace it")
        }
    }

    /// Refuses two outputs of one command that are the same file.
    package static func checkDistinct(_ paths: [(flag: String, path: String)]) throws {
        for i in paths.indices {
            for j in paths.indices where j > i && sameFile(paths[i].path, paths[j].path) {
                throw WordshiftError.invalidArgument("\(paths[i].flag) and \(paths[j].flag) name the same file (\(paths[j].path))")
            }
        }
    }

    /// Whether two paths are the same file: same device and inode when both exist, else the
    /// same name once `.` components are dropped.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        if let x = identity(a), let y = identity(b) { return x == y }
        return normalised(a) == normalised(b)
    }

    /// The directory `path` is in ("." for a bare name).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    private struct Identity: Equatable { var device: UInt; var inode: UInt }

    private static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Identity(device: UInt(st.st_dev), inode: UInt(st.st_ino))
    }

    /// A directory input stands for the regular files under it (as the corpus reader sees them).
    private static func expand(_ input: String) -> [String] {
        System.isDirectory(input) ? ((try? CorpusSource(inputs: [input]).files) ?? []) : [input]
    }

    private static func normalised(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
    }
}
