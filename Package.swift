// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Wordshift",
    products: [
        .library(name: "Wordshift", targets: ["Wordshift"]),
        .executable(name: "wordshift", targets: ["WordshiftCLI"]),
        .executable(name: "wordshift-bench", targets: ["WordshiftBench"]),
        .executable(name: "wordshift-fuzz", targets: ["WordshiftFuzz"]),
        .executable(name: "wordshift-signal-probe", targets: ["SignalProbe"]),
        .executable(name: "wordshift-sanitizer-checks", targets: ["WordshiftSanitizerChecks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // Only GRDB's raw SQLite module is used: the store's bulk paths go straight to the C API.
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // The HTTP server of `wordshift serve` (its own target: the library and its tests do not
        // depend on it). Default traits off: no swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Keeps ICU types out of Swift: Foundation carries its own ICU, and the two clash.
        .target(name: "CICUShim", path: "Sources/CICUShim",
                linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]),
        // Hand-vectorised kernels with run-time CPU dispatch (AVX2 / AVX-512 where present), and
        // OpenBLAS looked up with dlopen (never linked).
        .target(name: "CKernels", path: "Sources/CKernels"),
        // The async-signal-safe table of temporary files a fatal signal removes (issue 12 §8).
        .target(name: "CSignalCleanup", path: "Sources/CSignalCleanup"),
        // glibc's malloc thresholds, which Swift's Glibc module does not export.
        .target(name: "CAllocator", path: "Sources/CAllocator"),
        .target(
            name: "Wordshift",
            dependencies: [
                "CZlib", "CCrypto", "CICUShim", "CKernels", "CSignalCleanup", "CAllocator",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "WordshiftServer",
            dependencies: [
                "Wordshift",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Assets"]
        ),
        .executableTarget(
            name: "WordshiftCLI",
            dependencies: [
                "Wordshift", "WordshiftServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["BuildInfo"]
        ),
        // `wordshift --version` names the git commit it was built from (nil from a tarball).
        .plugin(name: "BuildInfo", capability: .buildTool()),
        .executableTarget(name: "WordshiftBench", dependencies: ["Wordshift"]),
        // The README's library example, verbatim (a test checks both are the same and runs it).
        .executableTarget(name: "ReadmeExample", dependencies: ["Wordshift"], path: "Examples/ReadmeExample"),
        // Fuzzing (issue 12 §9): one target per reader; tools/fuzz.sh builds the executable with
        // libFuzzer, a normal build is the replay tool, and the tests replay past findings.
        .target(name: "WordshiftFuzzTargets", dependencies: ["Wordshift"]),
        .executableTarget(name: "WordshiftFuzz", dependencies: ["WordshiftFuzzTargets"]),
        // The multi-threaded paths and the readers, built with TSan / ASan by tools/sanitize.sh.
        .executableTarget(name: "WordshiftSanitizerChecks", dependencies: ["Wordshift", "WordshiftFuzzTargets"]),
        // A process for the signal tests: registers temporary files, churns the table, waits to be killed.
        .executableTarget(name: "SignalProbe", dependencies: ["Wordshift"], path: "Tests/SignalProbe"),
        .testTarget(name: "WordshiftTests", dependencies: ["Wordshift", "WordshiftFuzzTargets"], exclude: ["Fixtures"]),
    ]
)
