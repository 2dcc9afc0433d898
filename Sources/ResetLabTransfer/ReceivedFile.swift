import ResetLabJSON

/// One file the receiver verified and saved: its one line of output.
public struct ReceivedFile: Sendable, Equatable {
    public var name: String
    /// The saved file's path (the receive directory joined with the name).
    public var path: String
    public var size: UInt64
    public var sha256: SHA256Digest
    /// Seconds from the first OFFER this receiver process saw for the file to its verification.
    public var seconds: Double
    /// The offset this receiver process started the file at: non-zero when it continued a partial file
    /// left by an earlier run.
    public var startedAt: UInt64
    /// Connections for this file after the first one, in this receiver process.
    public var resumes: Int

    public init(name: String, path: String, size: UInt64, sha256: SHA256Digest, seconds: Double, startedAt: UInt64, resumes: Int) {
        self.name = name
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.seconds = seconds
        self.startedAt = startedAt
        self.resumes = resumes
    }

    /// e.g. `received report.pdf: 10.5 MB in 2.10 s, 1 resume, sha256 … -> /srv/in/report.pdf`.
    public func text() -> String {
        var line = "received \(self.name): \(ByteFormat.size(self.size)) in \(ByteFormat.decimal(self.seconds, places: 2)) s"
        if self.startedAt > 0 { line += ", continued from \(ByteFormat.size(self.startedAt)) of an earlier run" }
        line += ", \(self.resumes) resume" + (self.resumes == 1 ? "" : "s")
        return line + ", sha256 \(self.sha256.hex) -> \(self.path)"
    }

    /// The record as one JSON object (one line of JSON Lines).
    public func json() -> JSONValue {
        .object([
            ("event", .string("verified")),
            ("name", .string(self.name)),
            ("path", .string(self.path)),
            ("bytes", .integer(Int64(clamping: self.size))),
            ("sha256", .string(self.sha256.hex)),
            ("seconds", .number((self.seconds * 1000).rounded() / 1000)),
            ("started_at", .integer(Int64(clamping: self.startedAt))),
            ("resumes", .integer(Int64(self.resumes))),
        ])
    }
}
