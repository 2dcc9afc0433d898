import Foundation
import ResetLabSteady
import ResetLabTransfer

/// The sending end: sends one file in checksummed chunks, reconnects with backoff after any reset or
/// restart of the receiver and continues from the receiver's verified offset, then has the whole file's
/// SHA-256 verified. After a SHA-256 mismatch it starts over from zero once.
public struct FileSender: Sendable {
    /// What to send, where, and how patiently.
    public struct Configuration: Sendable {
        /// The file to send.
        public var path: String
        /// The name the receiver saves it under (checked here with the receiver's rules first).
        public var name: String
        public var destination: SteadyAddress
        /// Seconds without progress (bytes newly verified by the receiver) before giving up.
        public var giveUpAfter: Double
        /// Bytes per chunk while the path is healthy.
        public var chunkSize: Int
        /// The most bytes sent beyond the receiver's verified offset: enough to keep the receiver busy,
        /// little enough that a reset wastes little.
        public var window: Int

        public init(
            path: String, name: String, destination: SteadyAddress, giveUpAfter: Double = 300, chunkSize: Int = 1 << 20,
            window: Int = 2 << 20
        ) {
            self.path = path
            self.name = name
            self.destination = destination
            self.giveUpAfter = giveUpAfter
            self.chunkSize = chunkSize
            self.window = max(window, chunkSize)
        }
    }

    /// Where a transfer stands, for a progress display.
    public struct Progress: Sendable {
        public var verified: UInt64
        public var total: UInt64
        public var resumes: Int
        /// Monotonic seconds since the send started.
        public var elapsed: Double
    }

    /// Why the send could not start (nothing was sent).
    public struct SetupError: Error, Sendable, CustomStringConvertible {
        /// What was wrong.
        public enum Kind: Sendable {
            /// The name to save under breaks the receiver's rules (a usage error).
            case name
            /// The file cannot be opened or read, or is not a regular file.
            case file
        }

        public let kind: Kind
        public let description: String
    }

    let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Sends the file.
    /// - Parameter progress: called after every chunk and acknowledgement (from this thread).
    /// - Returns: the summary; its outcome decides the exit status.
    /// - Throws: ``SetupError`` when the file cannot be opened or the name would be refused.
    public func run(progress: @escaping (Progress) -> Void) throws(SetupError) -> SendSummary {
        do throws(FileNameError) {
            _ = try ReceivedFileName(validating: self.configuration.name)
        } catch {
            throw SetupError(kind: .name, description: "cannot send as '\(self.configuration.name)': \(error) (choose another with --name)")
        }
        let source: SourceFile
        do throws(SourceFile.OpenError) {
            source = try SourceFile(path: self.configuration.path)
        } catch {
            throw SetupError(kind: .file, description: error.description)
        }
        var run = SendRun(configuration: self.configuration, source: source, progress: progress)
        return run.run()
    }
}
