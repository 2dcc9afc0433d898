// swift-tools-version: 6.1
import PackageDescription

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
                .product(name: "ResetLabCatalog", package: "main"),
                .product(name: "ResetLabExplain", package: "main"),
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
                .product(name: "ResetLabCapture", package: "main"),
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
                .product(name: "ResetLabProxy", package: "main"),
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
                .product(name: "ResetLabWatch", package: "main"),
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
                .product(name: "ResetLabSteady", package: "main"),
                .product(name: "ResetLabSteadyRuntime", package: "main"),
                .product(name: "ResetLabProxyServer", package: "main"),
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
