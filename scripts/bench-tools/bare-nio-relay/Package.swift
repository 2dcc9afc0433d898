// swift-tools-version: 6.1
import PackageDescription

// A yardstick for scripts/bench-proxy, kept apart from ResetLab and its benchmarks: the least a SwiftNIO
// relay does, on the same SwiftNIO as ResetLab's proxy.
let package = Package(
    name: "BareNIORelay",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "BareNIORelay",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
