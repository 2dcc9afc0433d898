// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its directory, so the checkout's directory name is what the
/// products below are found under (whatever the clone was called).
let resetLab = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// Benchmarks live in their own package (as in swift-nio) so that building and testing ResetLab
// does not build the benchmark harness. Run them with:
//   cd Benchmarks && swift package benchmark
// The proxy's network comparisons (direct vs ResetLab vs haproxy) are in scripts/bench-proxy; Steady's
// comparison with ZeroMQ is scripts/bench-steady; watch's reset storm is scripts/bench-watch.
let package = Package(
    name: "ResetLabBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "ExplainBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ResetLabCatalog", package: resetLab),
                .product(name: "ResetLabExplain", package: resetLab),
            ],
            path: "Benchmarks/ExplainBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark")
            ]
        ),
        .executableTarget(
            name: "CaptureBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ResetLabCapture", package: resetLab),
            ],
            path: "Benchmarks/CaptureBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark")
            ]
        ),
        .executableTarget(
            name: "ProxyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ResetLabProxy", package: resetLab),
            ],
            path: "Benchmarks/ProxyBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark")
            ]
        ),
        .executableTarget(
            name: "WatchBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ResetLabWatch", package: resetLab),
            ],
            path: "Benchmarks/WatchBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark")
            ]
        ),
        .executableTarget(
            name: "SteadyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ResetLabSteady", package: resetLab),
                .product(name: "ResetLabSteadyRuntime", package: resetLab),
                .product(name: "ResetLabProxyServer", package: resetLab),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/SteadyBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark")
            ]
        ),
    ]
)
