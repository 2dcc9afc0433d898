// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package (as in swift-nio) so that building and testing ResetLab
// does not build the benchmark harness. Run them with:
//   cd Benchmarks && swift package benchmark
// The proxy's network comparisons (direct vs ResetLab vs haproxy) are in scripts/bench-proxy.
let package = Package(
    name: "ResetLabBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
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
    ]
)
