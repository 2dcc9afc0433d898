// swift-tools-version: 6.1
import PackageDescription

/// The catalog files compiled into the binary. Adding a file here is all it takes to ship it.
let catalogFiles = ["core", "winsock", "errno", "curl", "mail"].map { "Data/\($0).catalog" }

let package = Package(
    name: "ResetLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "resetlab", targets: ["resetlab"]),
        .library(name: "ResetLabCatalog", targets: ["ResetLabCatalog"]),
        .library(name: "ResetLabExplain", targets: ["ResetLabExplain"]),
        .library(name: "ResetLabLab", targets: ["ResetLabLab"]),
        .library(name: "ResetLabLabRuntime", targets: ["ResetLabLabRuntime"]),
        .library(name: "ResetLabProxy", targets: ["ResetLabProxy"]),
        .library(name: "ResetLabCapture", targets: ["ResetLabCapture"]),
        .library(name: "ResetLabProbe", targets: ["ResetLabProbe"]),
        .library(name: "ResetLabSteady", targets: ["ResetLabSteady"]),
        .library(name: "ResetLabSteadyRuntime", targets: ["ResetLabSteadyRuntime"]),
        .library(name: "ResetLabTransfer", targets: ["ResetLabTransfer"]),
        .library(name: "ResetLabTransferRuntime", targets: ["ResetLabTransferRuntime"]),
        .library(name: "ResetLabWatch", targets: ["ResetLabWatch"]),
        .library(name: "ResetLabWatchRuntime", targets: ["ResetLabWatchRuntime"]),
        // Start a fault-injecting proxy in-process from a Swift test (Swift Testing or XCTest).
        .library(name: "ResetLabProxyServer", targets: ["ResetLabProxyServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
    ],
    targets: [
        // Pure data and model: what every error code and message means. No I/O.
        .target(
            name: "ResetLabCatalog",
            resources: catalogFiles.map { .embedInCode($0) }
        ),
        // A small JSON value type with stable key order, shared by the reports.
        .target(name: "ResetLabJSON"),
        // Pure logic: turns free text into ranked catalog matches and renders them.
        .target(
            name: "ResetLabExplain",
            dependencies: ["ResetLabCatalog", "ResetLabJSON"]
        ),
        // Pure logic of the lab: scenarios as data, expectations (down to the kernel's reason for each RST),
        // the Linux-to-Winsock table, packet parsing, the agent protocol and every report (text, JSON, HTML
        // ladder, pcap).
        .target(
            name: "ResetLabLab",
            dependencies: ["ResetLabJSON", "ResetLabWatch", "ResetLabCapture"]
        ),
        // Pure logic of the fault-injecting proxy: every toxic as a state machine returning actions, the
        // proxies-and-toxics model with Toxiproxy's API semantics, its JSON shapes.
        .target(
            name: "ResetLabProxy",
            dependencies: ["ResetLabJSON"]
        ),
        // Pure logic of `capture`: pcap and pcapng readers, link/IP/TCP decoding, Zeek's conn_state and
        // history, the connection table, the verdicts and every report. Reads bytes from any source.
        .target(
            name: "ResetLabCapture",
            dependencies: ["ResetLabJSON", "CResetLabPrefetch"]
        ),
        // One C header: cache prefetch hints for the capture reader.
        .target(name: "CResetLabPrefetch"),
        // Pure logic of `probe`: URLs, host name checks, SMTP/FTP replies, the verdict, the reports.
        .target(
            name: "ResetLabProbe",
            dependencies: ["ResetLabJSON"]
        ),
        // The probe's I/O: name resolution, TCP connects with timeouts, line conversations, TLS, the
        // SMTP/FTP/HTTP probes, idle-timeout discovery and the connection ramp.
        .target(
            name: "ResetLabProbeRuntime",
            dependencies: ["ResetLabProbe", "CResetLabTLS", "CResetLabLinux"]
        ),
        // A TLS client on the system's OpenSSL over a blocking socket, for the probe.
        .target(
            name: "CResetLabTLS",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        // Runs Swift concurrency jobs on a NIO event loop (a TaskExecutor), for the proxy's API and Steady.
        .target(
            name: "ResetLabEventLoopExecutor",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // The proxy's I/O on SwiftNIO: listeners, the relay that carries out the toxics' decisions, the
        // HTTP control API, live metrics.
        .target(
            name: "ResetLabProxyServer",
            dependencies: [
                "ResetLabProxy",
                "ResetLabEventLoopExecutor",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        // A blocking client for the control API, behind the `resetlab proxy` client subcommands.
        .target(
            name: "ResetLabProxyClient",
            dependencies: ["CResetLabLinux"]
        ),
        // Pure logic of Steady messaging: the wire protocol, the send and receive logs, backoff,
        // liveness, the journal's records and replay, the error type. Only NIOCore's ByteBuffer.
        .target(
            name: "ResetLabSteady",
            dependencies: ["CResetLabDigest", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // CRC-32C and SHA-256 for journals and file transfer (SHA-256 from the system's libcrypto).
        .target(
            name: "CResetLabDigest",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        // Steady messaging's I/O on SwiftNIO: the client and server, reconnection, the journal files.
        .target(
            name: "ResetLabSteadyRuntime",
            dependencies: [
                "ResetLabSteady",
                "ResetLabEventLoopExecutor",
                "CResetLabLinux",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Pure logic of resumable file transfer: its wire messages, chunk checks, the receiver's name
        // rules and resume decisions, progress figures.
        .target(
            name: "ResetLabTransfer",
            dependencies: ["ResetLabSteady", "CResetLabDigest", "ResetLabJSON"]
        ),
        // File transfer's I/O: the sender and the receiver over TCP, the partial files.
        .target(
            name: "ResetLabTransferRuntime",
            dependencies: ["ResetLabTransfer", "ResetLabSteady", "CResetLabDigest", "CResetLabLinux"]
        ),
        // Pure logic of `watch`: tracefs event lines, the kernel's reset reasons in plain words, resets
        // decoded from captured packets (with the capture reader's decoder).
        .target(name: "ResetLabWatch", dependencies: ["ResetLabJSON", "ResetLabCapture"]),
        // Watch's I/O: a private tracefs instance with the TCP events, read as they come; without tracefs,
        // resets captured with AF_PACKET.
        .target(name: "ResetLabWatchRuntime", dependencies: ["ResetLabWatch", "ResetLabCapture", "CResetLabLinux"]),
        // Thin wrappers over Linux socket, TCP_INFO and AF_PACKET calls.
        .target(name: "CResetLabLinux"),
        // The lab's I/O: socket and capture agents (re-executed `resetlab` processes), network
        // namespaces with nftables, the kernel's RST events (tracefs), and the runner that plays a scenario.
        .target(
            name: "ResetLabLabRuntime",
            dependencies: ["ResetLabLab", "CResetLabLinux", "ResetLabWatch", "ResetLabWatchRuntime"]
        ),
        // The thin command-line front end: one file per subcommand.
        .executableTarget(
            name: "resetlab",
            dependencies: [
                "ResetLabExplain",
                "ResetLabLab",
                "ResetLabLabRuntime",
                "ResetLabCapture",
                "ResetLabProbe",
                "ResetLabProbeRuntime",
                "ResetLabProxyServer",
                "ResetLabProxyClient",
                "ResetLabSteady",
                "ResetLabSteadyRuntime",
                "ResetLabTransfer",
                "ResetLabTransferRuntime",
                "ResetLabWatch",
                "ResetLabWatchRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ResetLabCatalogTests", dependencies: ["ResetLabCatalog"]),
        .testTarget(name: "ResetLabExplainTests", dependencies: ["ResetLabExplain"]),
        .testTarget(name: "ResetLabLabTests", dependencies: ["ResetLabLab", "ResetLabCatalog", "ResetLabWatch", "ResetLabCapture"]),
        .testTarget(name: "ResetLabProxyTests", dependencies: ["ResetLabProxy"]),
        .testTarget(name: "ResetLabCaptureTests", dependencies: ["ResetLabCapture"]),
        .testTarget(name: "ResetLabProbeTests", dependencies: ["ResetLabProbe", "ResetLabCatalog"]),
        .testTarget(name: "ResetLabSteadyTests", dependencies: ["ResetLabSteady"]),
        .testTarget(name: "ResetLabSteadyRuntimeTests", dependencies: ["ResetLabSteadyRuntime", "ResetLabProxyServer"]),
        .testTarget(name: "ResetLabTransferTests", dependencies: ["ResetLabTransfer"]),
        .testTarget(name: "ResetLabWatchTests", dependencies: ["ResetLabWatch", "ResetLabCapture"]),
        .testTarget(name: "ResetLabWatchRuntimeTests", dependencies: ["ResetLabWatchRuntime", "ResetLabWatch", "ResetLabCapture"]),
        .testTarget(name: "ResetLabProxyServerTests", dependencies: ["ResetLabProxyServer", "ResetLabEventLoopExecutor", "CResetLabLinux"]),
        // Runs the built `resetlab` binary end to end; the dependency makes `swift test` build it first.
        .testTarget(name: "ResetLabCLITests", dependencies: ["resetlab"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
