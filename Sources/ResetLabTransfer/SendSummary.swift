import ResetLabJSON

/// How a send ended, and what it took: the sender's final report.
public struct SendSummary: Sendable, Equatable {
    /// The ending, which decides the exit status.
    public enum Outcome: Sendable, Equatable {
        /// The receiver's SHA-256 matched: the file is there under its name.
        case verified
        /// The receiver refused the file (name, busy, unsafe path, storage).
        case refused(TransferRefusal)
        /// The SHA-256 differed again after starting over from zero.
        case verificationFailed(receiver: SHA256Digest)
        /// No progress for the give-up time; the text says why.
        case gaveUp(String)
        /// The source file changed (or became unreadable) while it was being sent.
        case sourceChanged(String)

        /// The process exit status: 0 verified, 1 gave up, 2 refused, 3 verification failed, 4 source changed.
        public var exitStatus: Int32 {
            switch self {
            case .verified: 0
            case .gaveUp: 1
            case .refused: 2
            case .verificationFailed: 3
            case .sourceChanged: 4
            }
        }

        /// The outcome in words, for people.
        public var message: String {
            switch self {
            case .verified: "verified"
            case .refused(let refusal): "the receiver refused the file: \(refusal.reason)"
            case .verificationFailed(let receiver):
                "the receiver's SHA-256 (\(receiver.hex)) differs from the file's even after starting over from zero; check the receiver's disk and memory"
            case .gaveUp(let reason): "gave up: \(reason)"
            case .sourceChanged(let reason): "the file changed while it was being sent: \(reason); send it again when it is complete"
            }
        }

        /// A stable code for machines.
        public var code: String {
            switch self {
            case .verified: "verified"
            case .refused: "refused"
            case .verificationFailed: "verification_failed"
            case .gaveUp: "gave_up"
            case .sourceChanged: "source_changed"
            }
        }
    }

    public var name: String
    public var size: UInt64
    /// The source file's SHA-256, when the file was verified.
    public var sha256: SHA256Digest?
    /// Seconds from the start to the end.
    public var seconds: Double
    /// Bytes put on the wire as chunk data, resends included.
    public var bytesSent: UInt64
    /// Connections after the first that continued from the receiver's verified offset.
    public var resumes: Int
    /// Times the whole file was sent again from zero after a SHA-256 mismatch.
    public var restarts: Int
    /// Where the first connection started (non-zero when the receiver kept a partial file from earlier).
    public var firstOffset: UInt64
    public var outcome: Outcome

    public init(
        name: String, size: UInt64, sha256: SHA256Digest?, seconds: Double, bytesSent: UInt64, resumes: Int,
        restarts: Int, firstOffset: UInt64, outcome: Outcome
    ) {
        self.name = name
        self.size = size
        self.sha256 = sha256
        self.seconds = seconds
        self.bytesSent = bytesSent
        self.resumes = resumes
        self.restarts = restarts
        self.firstOffset = firstOffset
        self.outcome = outcome
    }

    /// The file's size over the elapsed time, in bytes per second.
    public var bytesPerSecond: Double { self.seconds > 0 ? Double(self.size) / self.seconds : 0 }

    /// One line for people, e.g. `sent report.pdf: 10.5 MB in 2.01 s (5.2 MB/s), 2 resumes, verified sha256 …`.
    public func text() -> String {
        var line = "sent \(self.name): \(ByteFormat.size(self.size)) in \(ByteFormat.decimal(self.seconds, places: 2)) s"
        line += " (\(ByteFormat.rate(self.bytesPerSecond)))"
        if self.firstOffset > 0 { line += ", continued from \(ByteFormat.size(self.firstOffset))" }
        line += ", \(self.resumes) resume" + (self.resumes == 1 ? "" : "s")
        if self.restarts > 0 { line += ", restarted from zero after a SHA-256 mismatch" }
        if self.outcome == .verified {
            line += ", verified sha256 \(self.sha256?.hex ?? "?")"
        } else {
            line += "; " + self.outcome.message
        }
        return line
    }

    /// The summary as one JSON object.
    public func json() -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(self.name)),
            ("outcome", .string(self.outcome.code)),
            ("verified", .bool(self.outcome == .verified)),
            ("bytes", .integer(Int64(clamping: self.size))),
            ("seconds", .number((self.seconds * 1000).rounded() / 1000)),
            ("bytes_per_second", .integer(Int64(self.bytesPerSecond.rounded()))),
            ("bytes_sent", .integer(Int64(clamping: self.bytesSent))),
            ("first_offset", .integer(Int64(clamping: self.firstOffset))),
            ("resumes", .integer(Int64(self.resumes))),
            ("restarts", .integer(Int64(self.restarts))),
            ("sha256", self.sha256.map { .string($0.hex) } ?? .null),
        ]
        if self.outcome != .verified { members.append(("error", .string(self.outcome.message))) }
        if case .refused(let refusal) = self.outcome { members.append(("refusal", .string("\(refusal.code)"))) }
        return .object(members)
    }
}
